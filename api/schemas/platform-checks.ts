import { timestamp, uuid } from './common';
import { z } from './zod';

export const checkParams = z.object({ teamId: uuid, checkId: uuid });

const checkSchema = z
  .object({
    id: uuid,
    teamId: uuid,
    workflowId: z.string(),
    status: z.enum(['pending', 'completed', 'failed']),
    result: z
      .unknown()
      .openapi({ description: 'What the worker found (database reachability, timings, ...)' }),
    workerIdentity: z.string().nullable(),
    createdAt: timestamp,
    completedAt: timestamp.nullable(),
  })
  .openapi('PlatformCheck');

export const checkResponse = z.object({ check: checkSchema, temporalUrl: z.string() });
export const checksResponse = z.object({ checks: z.array(checkSchema) });

// Response shapes as TypeScript types: the UI imports these (type-only) instead of declaring them again.
export type PlatformCheck = z.output<typeof checkSchema>;
export type CheckResponse = z.output<typeof checkResponse>;
export type ChecksResponse = z.output<typeof checksResponse>;
