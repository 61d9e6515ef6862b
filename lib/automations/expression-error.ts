/**
 * A problem with an expression or its evaluation, in plain language: bad syntax, a path that does not exist
 * (`steps.draft.output.titel is not defined`), a type mismatch, or a limit reached. The interpreter turns it into
 * a failed step (not retried: the same data gives the same error).
 */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
}
