/**
 * Helpers for benches that need an account: platform mail goes to a Postmark sandbox of their own, and an account
 * is registered the two-step way (register, the emailed link, confirm).
 */
import type { Config } from '../lib/config';
import { startPostmarkSandbox, type SandboxServer } from '../sandbox/postmark/server';

/** A Postmark sandbox on a free port, with the platform's account emails pointed at it. */
export async function startMailSandbox(config: Config): Promise<SandboxServer> {
  const sandbox = await startPostmarkSandbox({ port: 0 });
  config.platformMail = {
    ...config.platformMail,
    requestHost: new URL(sandbox.url).host,
    useHttps: false,
    sandboxMailboxUrl: `${sandbox.url}/`,
  };
  return sandbox;
}

/** The newest confirmation token emailed to `email` (sends happen after the answer: wait for it). */
export async function confirmationToken(mailUrl: string, email: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const res = await fetch(
      `${mailUrl}/sandbox/messages?to=${encodeURIComponent(email)}&tag=account-confirmation`,
    );
    const { messages } = (await res.json()) as { messages: { TextBody?: string }[] };
    const token = /\/register\/confirm\?token=([\w-]+)/.exec(messages[0]?.TextBody ?? '')?.[1];
    if (token) return token;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no confirmation email to ${email}`);
}

/** Registers and confirms; returns the session body of the confirmation (Registration). */
export async function registerConfirmed<
  T = { accessToken: string; refreshToken: string; team: { id: string } },
>(
  apiBase: string,
  mailUrl: string,
  credentials: { email: string; password: string; name: string },
): Promise<T> {
  const json = { 'content-type': 'application/json' };
  const started = await fetch(`${apiBase}/auth/register`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify(credentials),
  });
  if (started.status !== 202) throw new Error(`register answered ${started.status}: ${await started.text()}`);
  const confirmed = await fetch(`${apiBase}/auth/register/confirm`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({
      token: await confirmationToken(mailUrl, credentials.email),
      password: credentials.password,
    }),
  });
  if (confirmed.status !== 201)
    throw new Error(`confirm answered ${confirmed.status}: ${await confirmed.text()}`);
  return (await confirmed.json()) as T;
}
