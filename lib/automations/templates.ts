import { ExpressionError } from './expression-error';
import { EXPRESSION_LIMITS } from './expression-limits';

/** A template split into text and `{{ expression }}` parts. */
export type TemplatePart = { text: string } | { expression: string };

/** Where the `}}` closing an expression opened at `from` is: outside string literals and map literals. */
function closingBraces(template: string, from: number): number {
  let quote: string | null = null;
  let depth = 0;
  for (let i = from; i < template.length; i++) {
    const ch = template[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '{') depth++;
    else if (ch === '}' && depth > 0) depth--;
    else if (ch === '}' && template[i + 1] === '}') return i;
  }
  return -1;
}

/** Splits a template; throws ExpressionError for an unclosed `{{` or an empty expression. */
export function splitTemplate(template: string): TemplatePart[] {
  if (template.length > EXPRESSION_LIMITS.maxTemplateLength) {
    throw new ExpressionError(`the text is longer than ${EXPRESSION_LIMITS.maxTemplateLength} characters`);
  }
  const parts: TemplatePart[] = [];
  let at = 0;
  let expressions = 0;
  while (at < template.length) {
    const open = template.indexOf('{{', at);
    if (open < 0) break;
    const close = closingBraces(template, open + 2);
    if (close < 0) throw new ExpressionError('"{{" without a closing "}}"');
    const expression = template.slice(open + 2, close).trim();
    if (expression === '') throw new ExpressionError('an empty {{ }}');
    if (++expressions > EXPRESSION_LIMITS.maxExpressionsPerTemplate) {
      throw new ExpressionError(
        `more than ${EXPRESSION_LIMITS.maxExpressionsPerTemplate} expressions in one text`,
      );
    }
    if (open > at) parts.push({ text: template.slice(at, open) });
    parts.push({ expression });
    at = close + 2;
  }
  if (at < template.length) parts.push({ text: template.slice(at) });
  return parts;
}
