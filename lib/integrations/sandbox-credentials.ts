/**
 * Credentials a team uses while an integration runs in sandbox mode and the team has not connected its own
 * account. The sandbox servers accept these; any credential containing "invalid" is refused the way the real
 * provider refuses bad credentials, so failure paths can be exercised on purpose.
 */
export const SANDBOX_CREDENTIALS = {
  anthropic: { apiKey: 'sk-ant-sandbox-key' },
  // ClickBank secret keys are at most 16 uppercase letters and digits.
  clickbank: { affiliateNickname: 'sandboxaff', apiKey: 'API-SANDBOXKEY', insSecretKey: 'SANDBOXSECRETKY1' },
  postmark: {
    serverToken: 'sandbox-server-token',
    fromEmail: 'hopflow@sandbox.test',
    messageStream: 'outbound',
  },
  wordpress: { username: 'sandbox', applicationPassword: 'sbox sbox sbox sbox sbox sbox' },
} as const;

/** A credential the sandboxes refuse (401/403/422 as the real provider would). */
export const isRefusedSandboxCredential = (value: string): boolean => value.toLowerCase().includes('invalid');
