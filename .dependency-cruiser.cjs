// The layer rules of docs/architecture.md, checked by `npx depcruise` in the lint suite. Each rule names the
// folders it guards; a forbidden import fails `./hopflow test lint` with the rule's name and comment.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment:
        'No import cycles anywhere: a cycle means two modules are one, or one belongs lower. Type-only imports are erased at run time, so models may name each other in their property types.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'lib-is-the-ground-floor',
      severity: 'error',
      comment:
        'lib/ (config, errors, logging, kv, crypto, rendering, provider adapters) imports no higher layer.',
      from: { path: '^lib/' },
      to: { path: '^(api|activities|data|db|temporal|workflows|ui|sandbox|scripts|tests|bench)/' },
    },
    {
      name: 'db-below-data',
      severity: 'error',
      comment: 'db/ (migrations, models, connection) imports only lib/.',
      from: { path: '^db/' },
      to: { path: '^(api|activities|data|temporal|workflows|ui|sandbox|scripts|tests|bench)/' },
    },
    {
      name: 'data-imports-db-lib-contracts',
      severity: 'error',
      comment:
        'data/ builds on db/ and lib/ (and the business-key ids of workflows/contracts), never on a caller.',
      from: { path: '^data/' },
      to: {
        path: '^(api|activities|temporal|workflows|ui|sandbox|scripts|tests|bench)/',
        pathNot: '^workflows/contracts/',
      },
    },
    {
      name: 'analytics-behind-one-module',
      severity: 'error',
      comment:
        'Raw analytics events, rollups, salts and click ids are reached only through data/analytics (its index), so the storage can change (e.g. to a columnar engine) behind one interface.',
      from: { pathNot: '^data/analytics/' },
      to: { path: '^data/analytics/', pathNot: '^data/analytics/index\\.ts$' },
    },
    {
      name: 'db-reached-through-data',
      severity: 'error',
      comment:
        "Models and migrations are the data layer's: other layers query through data/ functions. Only the process entry points open the connection (db/connection).",
      from: { path: '^(api|activities|lib|temporal|workflows|sandbox|ui)/' },
      to: { path: '^db/', pathNot: '^db/connection\\.ts$' },
    },
    {
      name: 'connection-opened-by-entry-points',
      severity: 'error',
      comment:
        'Only the process entry points (api/server.ts, temporal/worker-main.ts, scripts/) create the database.',
      from: {
        path: '^(api|activities|lib|temporal|workflows|sandbox|ui)/',
        pathNot: '^(api/server|temporal/worker-main)\\.ts$',
      },
      to: { path: '^db/connection\\.ts$' },
    },
    {
      name: 'contracts-are-self-contained',
      severity: 'error',
      comment:
        'workflows/contracts/ is loaded by the API, the worker and the workflow bundle: it imports only other contracts.',
      from: { path: '^workflows/contracts/' },
      to: {
        path: '^(api|activities|data|db|lib|temporal|ui|sandbox|scripts|tests|bench)/|^workflows/(?!contracts/)',
      },
    },
    {
      name: 'workflows-import-contracts-and-activity-types',
      severity: 'error',
      comment:
        'Workflow code runs in the deterministic sandbox: it imports contracts, its own helpers and activity types (import type) only.',
      from: { path: '^workflows/' },
      to: {
        path: '^(api|data|db|lib|temporal|ui|sandbox|scripts|tests|bench)/',
      },
    },
    {
      name: 'workflows-use-activity-types-only',
      severity: 'error',
      comment: 'Workflows call activities through proxyActivities: `import type` only.',
      from: { path: '^workflows/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'only-the-bundle-and-tests-import-workflow-code',
      severity: 'error',
      comment:
        'Workflow files are loaded by the worker bundle (workflows/index.ts), other workflows (children) and tests; everyone else uses workflows/contracts/.',
      from: { pathNot: '^(workflows/|tests/)' },
      to: { path: '^workflows/(?!contracts/)' },
    },
    {
      name: 'activities-never-import-api',
      severity: 'error',
      comment: 'activities/ use data/, lib/, contracts and the starters of temporal/: never the API.',
      from: { path: '^activities/' },
      to: { path: '^(api|ui|scripts|tests|bench)/' },
    },
    {
      name: 'activities-not-the-worker',
      severity: 'error',
      comment:
        'activities/ may start workflows (temporal/starts, sequence-runs) but not build workers or clients.',
      from: { path: '^activities/' },
      to: { path: '^temporal/(worker|worker-main|bundle|client|dev-server|schedules)' },
    },
    {
      name: 'data-lib-temporal-never-import-api',
      severity: 'error',
      comment: 'The API is the top of the server: nothing below it imports api/.',
      from: { path: '^(data|db|lib|temporal|workflows|activities|sandbox)/' },
      to: { path: '^api/' },
    },
    {
      name: 'api-never-imports-activities',
      severity: 'error',
      comment:
        'The API reaches the worker only through Temporal (temporal/starts, contracts): never activities/.',
      from: { path: '^api/' },
      to: { path: '^activities/' },
    },
    {
      name: 'temporal-never-imports-activities',
      severity: 'error',
      comment:
        'Only the worker factory (temporal/worker.ts) registers activities; starters and schedules do not.',
      from: { path: '^temporal/', pathNot: '^temporal/worker\\.ts$' },
      to: { path: '^activities/' },
    },
    {
      name: 'knex-only-in-data-and-db',
      severity: 'error',
      comment:
        'Queries live in data/ (and migrations in db/): elsewhere knex appears only as a type (import type { Knex }).',
      from: { path: '^(api|activities|lib|temporal|workflows)/' },
      to: { path: 'node_modules/(knex|knex-pglite|objection)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'ui-imports-api-types-only',
      severity: 'error',
      comment: 'The UI talks to the API over HTTP; it may import the API schemas for their types only.',
      from: { path: '^ui/' },
      to: { path: '^api/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'ui-never-imports-the-server',
      severity: 'error',
      comment:
        'The UI shares pure helpers of lib/ (e.g. the email renderer for previews), never server layers.',
      from: { path: '^ui/' },
      to: { path: '^(activities|data|db|temporal|workflows|sandbox)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|build|coverage|\\.tools|\\.data|ui/\\.svelte-kit|ui/build)' },
    tsPreCompilationDeps: true,
    // tsconfig.depcruise.json adds the UI's SvelteKit aliases ($api, $lib), so UI imports are checked too.
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
