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
    expect(defaults.limits.heavyRequestsPerTeam).toBe(2);
    const set = loadConfig({ ...dir, DB_STATEMENT_TIMEOUT_MS: '0', HEAVY_REQUESTS_PER_TEAM: '5' });
    expect(set.database.statementTimeoutMs).toBe(0);
    expect(set.limits.heavyRequestsPerTeam).toBe(5);
    expect(() => loadConfig({ ...dir, DB_STATEMENT_TIMEOUT_MS: '-1' })).toThrow(/DB_STATEMENT_TIMEOUT_MS/);
    expect(() => loadConfig({ ...dir, HEAVY_REQUESTS_PER_TEAM: '0' })).toThrow(/HEAVY_REQUESTS_PER_TEAM/);
  });

  it('requires JWT_SECRET in production', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', HOPFLOW_DATA_DIR: '/tmp/hopflow-config-test' }),
    ).toThrow(/JWT_SECRET: required in production/);
  });

  it('runs on embedded defaults with nothing configured', () => {
    const config = loadConfig({ HOPFLOW_DATA_DIR: '/tmp/hopflow-config-test' });
    expect(config.embedded).toBe(true);
    expect(config.api.port).toBe(4000);
    expect(config.ui.port).toBe(3000);
    expect(config.temporal.uiUrl).toBe('http://localhost:8233');
    expect(config.auth.jwtSecret.length).toBeGreaterThanOrEqual(32);
    // The generated secret is kept, so sessions survive a restart.
    expect(loadConfig({ HOPFLOW_DATA_DIR: '/tmp/hopflow-config-test' }).auth.jwtSecret).toBe(
      config.auth.jwtSecret,
    );
  });
});
