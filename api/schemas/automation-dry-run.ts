import { uuid } from './common';
import { z } from './zod';

export const automationParams = z.object({ teamId: uuid, automationId: uuid });

const sampleObject = (description: string) =>
  z.record(z.string(), z.unknown()).default({}).openapi({ description });

export const dryRunBody = z
  .strictObject({
    step_id: z.string().trim().min(1, 'Name the step').max(40),
    sample: z
      .strictObject({
        trigger: z.unknown().openapi({ description: 'What the step reads as trigger (a sample payload)' }),
        steps: sampleObject('Earlier steps\' results as steps.<id>: { "draft": { "output": { ... } } }'),
        vars: sampleObject('Variables as vars.<name>'),
      })
      .default({ trigger: {}, steps: {}, vars: {} }),
  })
  .openapi('AutomationDryRunBody', {
    description:
      'One step of the latest version (draft or published), run with sample data and no side effects',
  });

export const dryRunResponse = z
  .object({
    step_id: z.string(),
    type: z.string(),
    config: z.unknown().openapi({ description: "The step's config with its expressions evaluated" }),
    preview: z.record(z.string(), z.unknown()).openapi({
      description:
        'send_email: email (to, subject, text_body, html_body) and left_out; http_request: request (secrets masked), ' +
        'timeout_ms, max_response_bytes, destination { refused, reason, addresses }; branch: branches, runs; ' +
        "for_each: count, over_max_items; wait_until: until; if: the step's condition when it has one",
    }),
  })
  .openapi('AutomationDryRun');
