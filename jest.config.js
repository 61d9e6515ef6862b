/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];
const common = {
  // jsondiffpatch ships ES modules only: compiled like our TypeScript so the UI's diff helper can be tested.
  transform: { '^.+\\.ts$': swc, '/node_modules/jsondiffpatch/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!jsondiffpatch/)'],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};
module.exports = {
  // A global option in jest 30 (ignored inside projects). Integration tests talk to real servers.
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/{lib,api,activities,data,workflows,temporal,db,sandbox}/**/*.test.ts',
        // The UI's pure helpers (no Svelte, no $app imports).
        '<rootDir>/ui/src/lib/*.test.ts',
      ],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
    },
  ],
};
