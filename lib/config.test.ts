import { ConfigError, loadConfig } from './config';

describe('config module', () => {
  it('names the variable and what it expects when a value is bad', () => {
    expect(() => loadConfig({ API_PORT: 'abc', JWT_SECRET: 'x'.repeat(40) })).toThrow(ConfigError);
    try {
      loadConfig({ API_PORT: '70000', DATABASE_URL: 'mysql://x', JWT_SECRET: 'x'.repeat(40) });
    } catch (err) {
      const problems = (err as ConfigError).problems.map((p) => p.variable).sort();
      expect(problems).toEqual(['API_PORT', 'DATABASE_URL']);
      expect((err as Error).message).toMatch(/API_PORT: expected a port number from 1 to 65535, got "70000"/);
      expect((err as Error).message).toMatch(/DATABASE_URL: expected a postgres:\/\/ connection URL/);
      return;
    }
    throw new Error('loadConfig accepted a bad port and database URL');
  });

  it('reads the statement timeout (0 turns it off) and the per-team cap on heavy requests', () => {
    const dir = { HOPFLOW_DATA_DIR: '/tmp/hopflow-config-test' };
    const defaults = loadConfig(dir);
    expect(defaults.database.statementTimeoutMs).toBe(5000);
    expect(defaults.limits.heavyRequestsPerTeam).toBe(1);
    const set = loadConfig({ ...dir, DB_STATEMENT_TIMEOUT_MS: '0', HEAVY_REQUESTS_PER_TEAM: '5' });
    expect(set.database.statementTimeoutMs).toBe(0);
    expect(set.limits.heavyRequestsPerTeam).toBe(5);
    expect(() => loadConfig({ ...dir, DB_STATEMENT_TIMEOUT_MS: '-1' })).toThrow(/DB_STATEMENT_TIMEOUT_MS/);
    expect(() => loadConfig({ ...dir, HEAVY_REQUESTS_PER_TEAM: '0' })).toThrow(/HEAVY_REQUESTS_PER_TEAM/);
  });

  it('reads the limits of http_request steps and refuses an allow-list entry that is not a host, address or range', () => {
    const dir = { HOPFLOW_DATA_DIR: '/tmp/hopflow-config-test' };
    expect(loadConfig(dir).automations.http).toEqual({
      allowedHosts: [],
      timeoutMs: 10_000,
      maxResponseBytes: 1024 * 1024,
      maxRequestBytes: 1024 * 1024,
      maxRedirects: 5,
    });
    const set = loadConfig({
      ...dir,
      AUTOMATION_HTTP_ALLOWED_HOSTS: 'crm.internal, *.corp.example 10.1.0.0/16,fd00::/8',
      AUTOMATION_HTTP_MAX_REDIRECTS: '0',
    });
    expect(set.automations.http.allowedHosts).toEqual([
      'crm.internal',
      '*.corp.example',
      '10.1.0.0/16',
      'fd00::/8',
    ]);
    expect(set.automations.http.maxRedirects).toBe(0);
    expect(() => loadConfig({ ...dir, AUTOMATION_HTTP_ALLOWED_HOSTS: 'ok.example, 10.0.0.0/99' })).toThrow(
      /AUTOMATION_HTTP_ALLOWED_HOSTS: "10.0.0.0\/99" is not a valid CIDR range/,
    );
    expect(() => loadConfig({ ...dir, AUTOMATION_HTTP_ALLOWED_HOSTS: 'http://x/' })).toThrow(
      /AUTOMATION_HTTP_ALLOWED_HOSTS/,
    );
  });

  it('requires JWT_SECRET in production', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', HOPFLOW_DATA_DIR: '/tmp/hopflow-config-test' }),
    ).toThrow(/JWT_SECRET: required in production/);
  });

  it('requires the platform mail sender in production and in live Postmark mode, naming both variables', () => {
    const production = {
      NODE_ENV: 'production',
      HOPFLOW_DATA_DIR: '/tmp/hopflow-config-test',
      JWT_SECRET: 'x'.repeat(40),
      INTEGRATIONS_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      STRIPE_SECRET_KEY: 'sk_live_abc',
    };
    try {
      loadConfig(production);
      throw new Error('loadConfig accepted production without a platform mail sender');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
        'PLATFORM_MAIL_FROM',
        'PLATFORM_POSTMARK_TOKEN',
      ]);
      expect((err as Error).message).toMatch(/PLATFORM_POSTMARK_TOKEN: required in production/);
    }
    expect(() => loadConfig({ HOPFLOW_DATA_DIR: '/tmp/hopflow-config-test', POSTMARK_MODE: 'live' })).toThrow(
      /PLATFORM_POSTMARK_TOKEN/,
    );
    const live = loadConfig({
      ...production,
      PLATFORM_POSTMARK_TOKEN: 'server-token-1',
      PLATFORM_MAIL_FROM: 'Hopflow <accounts@example.com>',
    }).platformMail;
    expect(live).toEqual({
      serverToken: 'server-token-1',
      fromEmail: 'Hopflow <accounts@example.com>',
      requestHost: 'api.postmarkapp.com',
      useHttps: true,
      sandboxMailboxUrl: null,
    });
    expect(() =>
      loadConfig({ ...production, PLATFORM_POSTMARK_TOKEN: 't', PLATFORM_MAIL_FROM: 'not an address' }),
    ).toThrow(/PLATFORM_MAIL_FROM: expected a sender address/);
  });

  it('runs on embedded defaults with nothing configured', () => {
    const config = loadConfig({ HOPFLOW_DATA_DIR: '/tmp/hopflow-config-test' });
    expect(config.embedded).toBe(true);
    expect(config.api.port).toBe(4000);
    expect(config.ui.port).toBe(3000);
    expect(config.temporal.uiUrl).toBe('http://localhost:8233');
    expect(config.auth.jwtSecret.length).toBeGreaterThanOrEqual(32);
    // Account emails go to the Postmark sandbox, whose mailbox page the UI links to.
    expect(config.platformMail).toMatchObject({
      requestHost: '127.0.0.1:4703',
      useHttps: false,
      sandboxMailboxUrl: 'http://127.0.0.1:4703/',
    });
    // The generated secret is kept, so sessions survive a restart.
    expect(loadConfig({ HOPFLOW_DATA_DIR: '/tmp/hopflow-config-test' }).auth.jwtSecret).toBe(
      config.auth.jwtSecret,
    );
  });
});
