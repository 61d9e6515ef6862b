import { z } from 'zod';

/** Building blocks of the definition's fields. Strings may hold `{{ expressions }}` where a value is expected. */

/** Contains a `{{ … }}`: the value is computed when the step runs. */
const EXPRESSION = /\{\{[\s\S]*\}\}/;
const expressionText = z.string().regex(EXPRESSION);

/** A name expressions can use after `steps.` or `vars.`: a lower-case letter, then letters, digits or _. */
export const identifier = (what: string) =>
  z
    .string()
    .regex(
      /^[a-z][a-z0-9_]{0,39}$/,
      `${what}: a lower-case letter, then lower-case letters, digits or _ (at most 40)`,
    );

/** A uuid of a platform record (campaign, sequence, bonus, content) or an expression giving one. */
export const recordId = (what: string) =>
  z.union([z.uuid(), expressionText], { error: `a ${what} id or a {{ }} expression giving one` });

/** An email address or an expression giving one (usually `{{ trigger.customer.email }}`). */
export const emailOrExpression = z.union([z.email(), expressionText], {
  error: 'an email address or a {{ }} expression giving one',
});

/** A contact: its id or email address, or an expression giving one. */
export const contactRef = z
  .string()
  .trim()
  .min(1, 'name the contact: its id, its email address or a {{ }} expression')
  .max(2_000);

/** Text with optional `{{ }}` interpolation. */
export const text = (what: string, max: number) =>
  z.string().min(1, `enter the ${what}`).max(max, `at most ${max} characters`);

/** A CEL condition, bare (`trigger.amount > 10.0`) or in `{{ }}`; it must give true or false. */
export const condition = z.string().trim().min(1, 'enter a condition').max(2_000, 'at most 2000 characters');

/** Any JSON value; strings inside it may hold expressions. */
export const jsonValue = z.json();
