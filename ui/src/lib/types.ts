/**
 * Types of the UI itself. The API's JSON shapes are not declared here: they come from the API's zod schemas,
 * `import type { … } from '$api/<domain>'` (api/schemas/<domain>.ts).
 */
export type Theme = 'system' | 'light' | 'dark';
