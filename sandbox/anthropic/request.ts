/** Validation of a Messages API body, with the API's own style of messages ("<path>: <problem>"). */

export interface ParsedMessage {
  role: 'user' | 'assistant';
  content: unknown;
  /** All text blocks of the message joined. */
  text: string;
}

export interface MessagesRequest {
  model: string;
  max_tokens: number;
  messages: ParsedMessage[];
  system: unknown;
  systemText: string;
  stream: boolean;
  stop_sequences: string[];
  lastUserText: string;
}

type Parsed = { ok: true; request: MessagesRequest } | { ok: false; message: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Text of a string content or of the text blocks of a block list; undefined when the shape is wrong. */
function textOf(content: unknown, path: string): { text: string } | { error: string } {
  if (typeof content === 'string') return { text: content };
  if (!Array.isArray(content)) return { error: `${path}: Input should be a valid string or list of blocks` };
  const parts: string[] = [];
  for (const [i, block] of content.entries()) {
    if (!isRecord(block) || typeof block.type !== 'string') {
      return { error: `${path}.${i}: Input should be a valid content block` };
    }
    if (block.type === 'text') {
      if (typeof block.text !== 'string') return { error: `${path}.${i}.text: Field required` };
      parts.push(block.text);
    }
  }
  return { text: parts.join('\n') };
}

export function parseMessagesRequest(body: unknown): Parsed {
  const fail = (message: string): Parsed => ({ ok: false, message });
  if (!isRecord(body)) return fail('Request body must be a JSON object');
  const { model, max_tokens: maxTokens, messages, system, stream, stop_sequences: stops } = body;
  if (typeof model !== 'string' || model === '') return fail('model: Field required');
  if (maxTokens === undefined) return fail('max_tokens: Field required');
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    return fail('max_tokens: Input should be a valid integer greater than or equal to 1');
  }
  if (!Array.isArray(messages)) return fail('messages: Field required');
  if (messages.length === 0) return fail('messages: at least one message is required');
  if (stream !== undefined && typeof stream !== 'boolean')
    return fail('stream: Input should be a valid boolean');
  if (stops !== undefined && !(Array.isArray(stops) && stops.every((s) => typeof s === 'string'))) {
    return fail('stop_sequences: Input should be a valid list of strings');
  }

  const parsed: ParsedMessage[] = [];
  for (const [i, message] of messages.entries()) {
    if (!isRecord(message)) return fail(`messages.${i}: Input should be a valid dictionary`);
    if (message.role !== 'user' && message.role !== 'assistant') {
      return fail(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    }
    if (message.content === undefined) return fail(`messages.${i}.content: Field required`);
    const text = textOf(message.content, `messages.${i}.content`);
    if ('error' in text) return fail(text.error);
    const previous = parsed.at(-1);
    if (previous?.role === message.role) {
      return fail(
        `messages: roles must alternate between "user" and "assistant", but found multiple "${message.role}" roles in a row`,
      );
    }
    parsed.push({ role: message.role, content: message.content, text: text.text });
  }
  if (parsed[0]?.role !== 'user') return fail('messages: first message must use the "user" role');

  let systemText = '';
  if (system !== undefined) {
    const text = textOf(system, 'system');
    if ('error' in text) return fail(text.error);
    systemText = text.text;
  }
  const lastUser = [...parsed].reverse().find((m) => m.role === 'user');
  return {
    ok: true,
    request: {
      model,
      max_tokens: maxTokens,
      messages: parsed,
      system,
      systemText,
      stream: stream === true,
      stop_sequences: stops ?? [],
      lastUserText: lastUser?.text ?? '',
    },
  };
}
