import { roles } from '../../lib/roles';
import { z } from './zod';

export const uuid = z.uuid();
export const roleSchema = z.enum(roles).openapi('Role');
export const timestamp = z.iso.datetime({ offset: true });

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })),
      requestId: z.string(),
    }),
  })
  .openapi('Error');

// Response shapes as TypeScript types: the UI imports these (type-only) instead of declaring them again.
export type Role = z.output<typeof roleSchema>;
export type ErrorBody = z.output<typeof errorSchema>;
