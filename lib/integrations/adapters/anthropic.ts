import Anthropic, { APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { IntegrationError, fromHttpStatus, fromNetworkError, type IntegrationErrorKind } from './errors';

/** Plain settings (sandbox, live or a team's own key): the resolver's AnthropicSettings plus tuning. */
export interface AnthropicClientSettings {
  apiKey: string;
  /** Without `/v1`: the SDK adds it. */
  baseUrl: string;
  model: string;
  /** Retries the SDK makes itself for 408/409/429/5xx (honouring retry-after); default 2. */
  maxRetries?: number;
  /** Per-request timeout; default 10 minutes (long generations stream for a while). */
  timeoutMs?: number;
}

export interface StreamTextInput {
  system?: string;
  prompt: string;
  maxTokens: number;
  /** Called with each text delta as it arrives (e.g. to publish it to the browser). */
  onText?: (delta: string) => void;
  signal?: AbortSignal;
}

export interface StreamTextResult {
  text: string;
  inputTokens: number;
  outputTokens: number;
  stopReason: string | null;
  model: string;
  /** How many text deltas arrived (a streamed answer has several). */
  deltas: number;
}

const OVERLOADED = 'Claude is overloaded right now; we will try again shortly.';

/** Error types Claude sends in the body or in a mid-stream `error` event, as our kinds. */
const kindByErrorType: Record<string, IntegrationErrorKind> = {
  authentication_error: 'auth',
  permission_error: 'auth',
  invalid_request_error: 'invalid',
  request_too_large: 'invalid',
  not_found_error: 'not_found',
  rate_limit_error: 'rate_limited',
  overloaded_error: 'unavailable',
  api_error: 'unavailable',
  timeout_error: 'timeout',
};

/** Any failure of an SDK call as an IntegrationError: permanent for auth/invalid, transient otherwise. */
function toAnthropicError(err: unknown): IntegrationError {
  if (err instanceof IntegrationError) return err;
  if (err instanceof APIConnectionTimeoutError || err instanceof APIUserAbortError) {
    return new IntegrationError({
      provider: 'anthropic',
      kind: 'timeout',
      message: `Claude request did not finish: ${err.message}`,
      cause: err,
    });
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const apiError = err as APIError<number, Headers | undefined>;
    return fromHttpStatus('anthropic', apiError.status, apiError.error, apiError.headers, ({ status }) =>
      status === 529 || apiError.type === 'overloaded_error'
        ? { kind: 'unavailable', plainMessage: OVERLOADED, retryable: true }
        : undefined,
    );
  }
  if (err instanceof APIError && err.type) {
    // An `error` event in the middle of a stream: no HTTP status, only the error type.
    const kind = kindByErrorType[err.type] ?? 'unavailable';
    return new IntegrationError({
      provider: 'anthropic',
      kind,
      providerCode: err.type,
      message: `Claude stream failed: ${err.type}${err.apiMessage ? `: ${err.apiMessage}` : ''}`,
      ...(err.type === 'overloaded_error' ? { plainMessage: OVERLOADED } : {}),
      cause: err,
    });
  }
  return fromNetworkError('anthropic', err);
}

/** Claude through the official SDK, pointed at `baseUrl` (the sandbox or api.anthropic.com). */
export function createAnthropicClient(settings: AnthropicClientSettings) {
  const client = new Anthropic({
    apiKey: settings.apiKey,
    baseURL: settings.baseUrl,
    maxRetries: settings.maxRetries ?? 2,
    timeout: settings.timeoutMs ?? 600_000,
  });

  return {
    model: settings.model,

    /** Streams one answer, passing each delta to onText; resolves with the whole text and token usage. */
    async streamText(input: StreamTextInput): Promise<StreamTextResult> {
      const result: StreamTextResult = {
        text: '',
        inputTokens: 0,
        outputTokens: 0,
        stopReason: null,
        model: settings.model,
        deltas: 0,
      };
      try {
        const stream = await client.messages.create(
          {
            model: settings.model,
            max_tokens: input.maxTokens,
            ...(input.system ? { system: input.system } : {}),
            messages: [{ role: 'user', content: input.prompt }],
            stream: true,
          },
          input.signal ? { signal: input.signal } : undefined,
        );
        for await (const event of stream) {
          switch (event.type) {
            case 'message_start':
              result.inputTokens = event.message.usage.input_tokens;
              result.outputTokens = event.message.usage.output_tokens;
              result.model = event.message.model;
              break;
            case 'content_block_delta':
              if (event.delta.type === 'text_delta') {
                result.text += event.delta.text;
                result.deltas++;
                input.onText?.(event.delta.text);
              }
              break;
            case 'message_delta':
              result.stopReason = event.delta.stop_reason;
              result.outputTokens = event.usage.output_tokens;
              break;
            default:
              break;
          }
        }
      } catch (err) {
        throw toAnthropicError(err);
      }
      return result;
    },

    /** One cheap authenticated call (the model list). */
    async testConnection(): Promise<{ ok: true; detail: string }> {
      try {
        const page = await client.models.list({ limit: 20 });
        const ids = page.data.map((m) => m.id);
        const known = ids.includes(settings.model) ? `, including ${settings.model}` : '';
        return { ok: true, detail: `Claude accepted the API key (${ids.length} models available${known}).` };
      } catch (err) {
        throw toAnthropicError(err);
      }
    },
  };
}
