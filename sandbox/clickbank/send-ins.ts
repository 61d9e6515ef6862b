import { parseArgs } from 'node:util';
import { sendInsNotification } from './ins-sender';

const usage = `Usage: npm run sandbox:ins -- --url <insUrl> --secret <key> [--type SALE] [--tid <tid>]
       [--receipt R] [--item 1] [--email buyer@x] [--times 5] [--version 7.0] [--time-format iso|compact]`;

// Sends an encrypted INS notification to a URL (a team's insUrl), as ClickBank does, and prints each answer.
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      secret: { type: 'string' },
      type: { type: 'string', default: 'SALE' },
      tid: { type: 'string' },
      receipt: { type: 'string' },
      item: { type: 'string', default: '1' },
      email: { type: 'string' },
      times: { type: 'string', default: '1' },
      version: { type: 'string', default: '7.0' },
      vendor: { type: 'string' },
      amount: { type: 'string' },
      'time-format': { type: 'string', default: 'iso' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.url || !values.secret) {
    console.log(usage);
    process.exit(values.help ? 0 : 2);
  }
  const timeFormat = values['time-format'] === 'compact' ? 'compact' : 'iso';
  const result = await sendInsNotification({
    url: values.url,
    secret: values.secret,
    type: values.type,
    tid: values.tid,
    receipt: values.receipt,
    itemNo: values.item,
    email: values.email,
    times: Number(values.times),
    version: Number(values.version),
    vendor: values.vendor,
    amount: values.amount !== undefined ? Number(values.amount) : undefined,
    timeFormat,
  });
  const n = result.notification;
  console.log(`INS ${String(n.transactionType)} receipt ${String(n.receipt)} -> ${values.url}`);
  for (const d of result.deliveries) {
    console.log(`  attempt ${d.attempt}: HTTP ${d.status} ${d.body.slice(0, 200)}`);
  }
  if (result.deliveries.some((d) => d.status < 200 || d.status >= 300)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
