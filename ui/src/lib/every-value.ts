/**
 * The UI needs some of the API's enums as values (filter menus, type guards), but takes only types from the
 * API's schemas. These helpers keep such a list in step with its schema: the compiler refuses a list with an
 * unknown value or with one missing (the error names it: `missing: 'archived'`).
 */
type Complete<T extends string, Listed extends string> = [Exclude<T, Listed>] extends [never]
  ? unknown
  : { missing: Exclude<T, Listed> };

/** Every member of the union T, in the given (display) order. */
export const everyValue =
  <T extends string>() =>
  <const L extends readonly T[]>(list: L & Complete<T, L[number]>): L =>
    list;

/** Every member of the union T as a labelled option, in the given (display) order. */
export const everyOption =
  <T extends string>() =>
  <const L extends readonly { value: T; label: string }[]>(list: L & Complete<T, L[number]['value']>): L =>
    list;
