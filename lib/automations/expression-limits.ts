/** Bounds on one expression and its evaluation, so no expression can stall a worker. */
export const EXPRESSION_LIMITS = {
  /** Characters of one `{{ }}` expression. */
  maxLength: 2_000,
  /** Characters of one whole template (a field with text and several expressions). */
  maxTemplateLength: 100_000,
  /** Expressions in one template. */
  maxExpressionsPerTemplate: 50,
  /** Nodes of the parsed expression. */
  maxNodes: 400,
  /** Nesting of brackets and of the parsed tree. */
  maxDepth: 32,
  /** Macros (map, filter, all, exists, exists_one) inside one another. */
  maxMacroNesting: 2,
  /** Macro iterations and function calls in one evaluation (of a whole text, all its expressions together). */
  maxSteps: 100_000,
  /** Characters, bytes and list items that function calls read in one evaluation (top-level sizes). */
  maxScanned: 20_000_000,
  /** Characters and list items produced by concatenation in one evaluation. */
  maxChars: 1_000_000,
  /** Values (scalars, list items, map entries) in the scope an expression reads, and in its result. */
  maxValues: 200_000,
  /** Characters of all strings in the scope, and in the result. */
  maxScopeChars: 5_000_000,
} as const;
