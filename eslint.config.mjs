import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert',
  'async_hooks',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'querystring',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'build',
      'coverage',
      '.tools',
      '.data',
      'ui',
      'test-results',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no I/O, no Node built-ins, no ambient time.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.flatMap((name) => [
            { name, message: 'Node built-ins are not allowed in workflow code.' },
            { name: `node:${name}`, message: 'Node built-ins are not allowed in workflow code.' },
          ]),
          patterns: [
            { group: ['node:*'], message: 'Node built-ins are not allowed in workflow code.' },
            {
              group: ['../activities/*', '../activities'],
              importNamePattern: '^(?!type )',
              allowTypeImports: true,
              message: 'Workflows import activity types only.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'No process.env in workflow code: pass values as workflow input.' },
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use workflow time, not Date.now().' },
      ],
    },
  },
  {
    // Queries live in data/ (and migrations in db/): elsewhere a Knex instance is only passed along, never
    // called. dependency-cruiser forbids importing knex, objection and the models outside them; this catches
    // the usual ways of querying through a passed instance (by its conventional names: db, trx, knex, database).
    files: ['api/**/*.ts', 'activities/**/*.ts', 'lib/**/*.ts', 'temporal/**/*.ts', 'workflows/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.type='Identifier'][callee.name=/^(db|trx|knex|database)$/]",
          message: 'Queries belong in data/: call a data function instead.',
        },
        {
          selector:
            "CallExpression[callee.type='MemberExpression'][callee.property.name=/^(db|trx|knex|database)$/]",
          message: 'Queries belong in data/: call a data function instead.',
        },
        {
          selector:
            'MemberExpression[object.name=/^(db|trx|knex)$/][property.name=/^(raw|transaction|fn|schema|select|insert|update|from)$/]',
          message: 'Queries and transactions belong in data/ (data/transaction.ts for a unit of work).',
        },
        {
          selector:
            "MemberExpression[object.type='MemberExpression'][object.property.name=/^(db|trx|knex|database)$/][property.name=/^(raw|transaction|fn|schema|select|insert|update|delete|from|into|table|with|queryBuilder|batchInsert|migrate|seed)$/]",
          message: 'Queries and transactions belong in data/ (data/transaction.ts for a unit of work).',
        },
      ],
    },
  },
);
