import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  InsDecodeError,
  decryptIns,
  insDedupeKey,
  parseTransactionTime,
  type InsNotification,
} from '../../lib/clickbank/ins';
import { sendInsNotification } from '../../sandbox/clickbank/ins-sender';
import { SANDBOX_CREDENTIALS } from '../../lib/integrations/sandbox-credentials';

const secret = SANDBOX_CREDENTIALS.clickbank.insSecretKey;
const repoRoot = path.resolve(__dirname, '../..');

/** A tiny INS endpoint: decrypts with the secret, answers 200, or 400 with the decode error code. */
interface Received {
  raw: string;
  notification?: InsNotification;
  error?: string;
}
let receiver: http.Server;
let url: string;
const received: Received[] = [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      try {
        const notification = decryptIns(JSON.parse(raw) as unknown, secret);
        received.push({ raw, notification });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      } catch (err) {
        const code = err instanceof InsDecodeError ? err.code : 'bad_json';
        received.push({ raw, error: code });
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: code }));
      }
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ins`;
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(() => {
  received.length = 0;
});

describe('ClickBank INS sender', () => {
  it('sends one encrypted SALE five times; each decodes to the same notification and dedupe key', async () => {
    const result = await sendInsNotification({
      url,
      secret,
      type: 'SALE',
      tid: 'camp_spring',
      receipt: 'RCPT1234',
      email: 'buyer@x.test',
      times: 5,
    });
    expect(result.deliveries.map((d) => d.status)).toEqual([200, 200, 200, 200, 200]);
    expect(received).toHaveLength(5);
    const keys = new Set(received.map((r) => insDedupeKey(r.notification!, r.raw)));
    expect([...keys]).toEqual(['RCPT1234:SALE:1']);

    const n = received[0]!.notification!;
    expect(n).toMatchObject({
      transactionType: 'SALE',
      receipt: 'RCPT1234',
      trackingCodes: ['camp_spring'],
      affiliate: 'sandboxaff',
      role: 'AFFILIATE',
      currency: 'USD',
      version: 7,
      attemptCount: 1,
    });
    expect(n.customer?.billing?.email).toBe('buyer@x.test');
    expect(n.lineItems[0]).toMatchObject({ itemNo: '1', lineItemType: 'ORIGINAL' });
    expect(Math.abs(parseTransactionTime(n.transactionTime).getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('sends compact times, refunds with negative amounts and TEST messages keyed on the body', async () => {
    await sendInsNotification({ url, secret, type: 'RFND', timeFormat: 'compact', version: 8 });
    const refund = received[0]!.notification!;
    expect(refund.transactionTime).toMatch(/^\d{8}T\d{6}\+0000$/);
    expect(refund.totalAccountAmount).toBeLessThan(0);
    expect(refund.version).toBe(8);

    await sendInsNotification({ url, secret, type: 'TEST', times: 2 });
    const [a, b] = received.slice(1);
    expect(insDedupeKey(a!.notification!, a!.raw)).toMatch(/^test:[0-9a-f]{64}$/);
    expect(insDedupeKey(a!.notification!, a!.raw)).toBe(insDedupeKey(b!.notification!, b!.raw));
  });

  it('gets 400 from a receiver holding a different secret', async () => {
    const result = await sendInsNotification({ url, secret: 'OTHERSECRETKEY99', type: 'SALE' });
    expect(result.deliveries[0]?.status).toBe(400);
    expect(['bad_key_or_ciphertext', 'bad_json']).toContain(received[0]?.error);
  });

  it('works from the command line (npm run sandbox:ins)', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs'),
        'sandbox/clickbank/send-ins.ts',
        '--url',
        url,
        '--secret',
        secret,
        '--type',
        'SALE',
        '--tid',
        'cli_tid',
        '--times',
        '2',
      ],
      { cwd: repoRoot },
    );
    expect(stdout).toMatch(/attempt 1: HTTP 200/);
    expect(stdout).toMatch(/attempt 2: HTTP 200/);
    expect(received.map((r) => r.notification?.trackingCodes)).toEqual([['cli_tid'], ['cli_tid']]);
  });
});
