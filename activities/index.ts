import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Config } from '../lib/config';
import type { KeyValue } from '../lib/kv';
import { createAnalyticsMaintenanceActivities } from './analytics-maintenance';
import { createAutomationRunActivities } from './automation-run';
import { createAutomationActionActivities } from './automation-actions';
import { createAutomationEventActivities } from './automation-events';
import { createBackupActivities } from './backup';
import { createBonusDeliveryActivities } from './bonus-delivery';
import { createBonusRevocationActivities } from './bonus-revocation';
import { createCatalogActivities } from './catalog';
import { createClickbankNotificationActivities } from './clickbank-notifications';
import { createContactImportActivities } from './contact-import';
import { createContentActivities } from './content';
import { createBroadcastActivities } from './broadcasts';
import { createEmailActivities } from './email';
import { createInsightActivities } from './insights';
import { createPlatformCheckActivities } from './platform-check';
import { createSequenceActivities } from './sequences';

/** What activity factories may need; each factory takes only the fields it uses, so tests can pass fakes. */
export interface ActivityDeps {
  db: Knex;
  config: Config;
  /** Redis or the in-process stand-in shared with the API (live draft streaming). */
  kv?: KeyValue;
  workerIdentity?: string;
  /** The worker's Temporal client, for activities that signal or start other workflows. */
  temporal?: Client;
}

/** Every activity the workers register, merged from the per-concern factories. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createPlatformCheckActivities(deps),
    ...createClickbankNotificationActivities(deps),
    ...createContentActivities(deps),
    ...createCatalogActivities(deps),
    ...createEmailActivities(deps),
    ...createBonusDeliveryActivities(deps),
    ...createBonusRevocationActivities(deps),
    ...createSequenceActivities(deps),
    ...createBroadcastActivities(deps),
    ...createInsightActivities(deps),
    ...createBackupActivities(deps),
    ...createAnalyticsMaintenanceActivities(deps),
    ...createContactImportActivities(deps),
    ...createAutomationRunActivities(deps),
    ...createAutomationActionActivities(deps),
    ...createAutomationEventActivities(deps),
  };
}
