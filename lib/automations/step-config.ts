import { z } from 'zod';
import {
  addToSequenceConfig,
  deliverBonusConfig,
  generateContentConfig,
  httpRequestConfig,
  publishWordpressConfig,
  removeFromSequenceConfig,
  sendEmailConfig,
  setVariableConfig,
  tagContactConfig,
} from './action-configs';
import type { ExpressionScope } from './expressions';
import { resolveConfig } from './resolve-config';

/**
 * A step's config after its templates are evaluated, checked again: at save time a field may be an expression,
 * at run time it must be the value itself (a uuid, an email address, an http URL). The activity and the dry run
 * both go through here, so what the dry run accepts is what the run accepts.
 */

const actionConfigSchemas = {
  generate_content: generateContentConfig,
  send_email: sendEmailConfig,
  add_to_sequence: addToSequenceConfig,
  remove_from_sequence: removeFromSequenceConfig,
  tag_contact: tagContactConfig,
  deliver_bonus: deliverBonusConfig,
  publish_wordpress: publishWordpressConfig,
  http_request: httpRequestConfig,
  set_variable: setVariableConfig,
} as const;

export type ActionType = keyof typeof actionConfigSchemas;
export type ActionConfig<T extends ActionType> = z.output<(typeof actionConfigSchemas)[T]>;

export const isActionType = (type: string): type is ActionType => Object.hasOwn(actionConfigSchemas, type);

/** An evaluated config value that is not what the field needs; `path` names the field (`config.to`). */
export class ConfigValueError extends Error {
  override readonly name = 'ConfigValueError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** `config.headers.X-Id`, `config.bonus_ids[2]`: the notation the run's errors and the dry run's 400 use. */
function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`),
    prefix,
  );
}

const uuid = z.uuid();
const email = z.email();

/** Fields that must hold a record id once evaluated (the schema also allowed an expression there). */
const idFields: Partial<Record<ActionType, string[]>> = {
  generate_content: ['campaign_id'],
  send_email: ['campaign_id'],
  add_to_sequence: ['sequence_id'],
  remove_from_sequence: ['sequence_id'],
  publish_wordpress: ['content_id'],
};
const emailFields: Partial<Record<ActionType, string[]>> = { send_email: ['to'], deliver_bonus: ['email'] };

/** Header values are text on the wire: a number or boolean an expression gave is written as JSON. */
function headersAsText(config: unknown): unknown {
  if (typeof config !== 'object' || config === null) return config;
  const headers = (config as { headers?: unknown }).headers;
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return config;
  const text: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    text[name] =
      typeof value === 'number' || typeof value === 'boolean' || value === null
        ? JSON.stringify(value)
        : value;
  }
  return { ...config, headers: text };
}

function checkEvaluated(type: ActionType, config: Record<string, unknown>): void {
  for (const field of idFields[type] ?? []) {
    const value = config[field];
    if (value !== undefined && !uuid.safeParse(value).success) {
      throw new ConfigValueError(`config.${field}`, `${JSON.stringify(value)} is not a record id (a uuid)`);
    }
  }
  for (const field of emailFields[type] ?? []) {
    if (!email.safeParse(config[field]).success) {
      throw new ConfigValueError(
        `config.${field}`,
        `${JSON.stringify(config[field])} is not an email address`,
      );
    }
  }
  if (type === 'deliver_bonus') {
    const ids = (config.bonus_ids as unknown[] | undefined) ?? [];
    ids.forEach((id, i) => {
      if (!uuid.safeParse(id).success) {
        throw new ConfigValueError(
          `config.bonus_ids[${i}]`,
          `${JSON.stringify(id)} is not a bonus id (a uuid)`,
        );
      }
    });
  }
  if (type === 'http_request' && !/^https?:\/\//i.test(String(config.url))) {
    throw new ConfigValueError('config.url', `${JSON.stringify(config.url)} is not an http or https URL`);
  }
}

/**
 * Evaluates an action step's config against the scope and validates the result. Throws ConfigFieldError (an
 * expression failed) or ConfigValueError (a value is wrong), both naming the field.
 */
export function evaluateActionConfig<T extends ActionType>(
  type: T,
  config: unknown,
  scope: ExpressionScope,
): ActionConfig<T> {
  let evaluated = resolveConfig(config, scope);
  if (type === 'http_request') evaluated = headersAsText(evaluated);
  const parsed = actionConfigSchemas[type].safeParse(evaluated);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigValueError(fieldPath('config', issue.path), issue.message);
  }
  checkEvaluated(type, parsed.data);
  return parsed.data as ActionConfig<T>;
}
