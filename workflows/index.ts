// Every workflow the workers run; temporal/bundle.ts bundles this file.
export * from './platform-check.workflow';
export * from './clickbank-notification.workflow';
export * from './catalog-sync.workflow';
export * from './content-pipeline.workflow';
export * from './email-sequence.workflow';
export * from './broadcast.workflow';
export * from './bonus-delivery.workflow';
export * from './bonus-revocation.workflow';
export * from './insights.workflow';
export * from './backup.workflow';
export * from './contact-import.workflow';
export * from './automation-run.workflow';
export * from './automation-event.workflow';
export * from './bonus-test.workflow';
export * from './analytics-maintenance.workflow';
