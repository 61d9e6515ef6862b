import { z } from './zod';

const needSchema = z
  .object({
    key: z.string().openapi({ example: 'sequence_id' }),
    kind: z.enum(['campaign', 'sequence', 'email', 'duration', 'time_zone', 'tag']),
    label: z.string(),
    default: z.string().optional().openapi({ description: 'Used when the value is left empty' }),
    required: z.boolean().openapi({ description: 'True when there is no default' }),
  })
  .openapi('AutomationTemplateNeed');

const templateSchema = z
  .object({
    id: z.string().openapi({ example: 'sale-bonus-follow-up' }),
    name: z.string(),
    description: z.string(),
    trigger: z.enum(['webhook', 'schedule', 'clickbank', 'event', 'manual']),
    connects: z.array(z.string()).openapi({ example: ['ClickBank', 'Postmark'] }),
    needs: z.array(needSchema),
  })
  .openapi('AutomationTemplate');

export const automationTemplatesResponse = z
  .object({ templates: z.array(templateSchema) })
  .openapi('AutomationTemplatesResponse');

export const fromTemplateBody = z
  .strictObject({
    template_id: z.string().min(1).max(100).openapi({ example: 'refused-email-tag' }),
    name: z.string().trim().min(1, 'Enter a name').max(120, 'At most 120 characters').optional(),
    values: z
      .record(z.string().max(200), z.string().max(1000, 'At most 1000 characters'))
      .default({})
      .openapi({
        description: "The template's needs by key (ids, addresses, durations); empty ones take the default",
        example: { team_email: 'team@example.com' },
      }),
  })
  .openapi('AutomationFromTemplateBody');

export type AutomationTemplate = z.output<typeof templateSchema>;
export type AutomationTemplatesResponse = z.output<typeof automationTemplatesResponse>;
