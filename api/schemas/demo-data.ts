import { z } from './zod';

/** What loading the demo data made (counts over the whole 90 days; `net` in the account currency). */
export const demoDataResponse = z
  .object({
    campaigns: z.number().int(),
    links: z.number().int(),
    clicks: z.number().int(),
    botClicks: z.number().int(),
    uniqueClicks: z.number().int(),
    sales: z.number().int(),
    rebills: z.number().int(),
    refunds: z.number().int(),
    chargebacks: z.number().int(),
    net: z.number(),
  })
  .openapi('DemoDataSummary');

export type DemoDataResponse = z.output<typeof demoDataResponse>;
