/**
 * The one place user text becomes a LIKE / ILIKE pattern. PostgreSQL's default LIKE escape character is the
 * backslash, so `%`, `_` and `\` typed by a user are escaped and match themselves: a search for "100%" finds
 * "100%", and "%%%%" is not a pattern that matches everything. No other query of data/ may put user input in a
 * pattern (products search uses websearch_to_tsquery, which takes any text and has no wildcards).
 */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A pattern matching `text` anywhere in the value, with its LIKE characters taken literally. */
export const containsPattern = (text: string) => `%${escapeLike(text)}%`;

/** A pattern matching values that start with `text`, its LIKE characters taken literally. */
export const prefixPattern = (text: string) => `${escapeLike(text)}%`;
