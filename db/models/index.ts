// One thin objection model per table: tableName, idColumn, relationMappings and declared column types only.
// Columns are snake_case as in the database (no case mapping); validation lives in zod schemas at the edge.
// relationMappings are thunks so the model files can import each other in any load order.
export { User } from './user';
export { Team } from './team';
export { TeamMember, type TeamRole } from './team-member';
export { RefreshToken } from './refresh-token';
export { PlatformCheck } from './platform-check';
export { Product } from './product';
export { Campaign, type CampaignStatus } from './campaign';
export { Content, type ContentKind, type ContentStatus } from './content';
export { Workflow, type WorkflowStatus } from './workflow';
export { WorkflowVersion } from './workflow-version';
export { AnalyticsEvent, type AnalyticsEventType } from './analytics-event';
export { AnalyticsDaily } from './analytics-daily';
export { Bonus } from './bonus';
export { CampaignBonus } from './campaign-bonus';
export { BonusDelivery } from './bonus-delivery';
export { WebhookEvent, type WebhookSource, type WebhookEventStatus } from './webhook-event';
export { EmailMessage, type EmailMessageStatus } from './email-message';
export { Subscription, type SubscriptionStatus } from './subscription';
export { TeamIntegration, type IntegrationProvider } from './team-integration';
export { EmailSequence, type SequenceTrigger } from './email-sequence';
export { EmailSequenceStep } from './email-sequence-step';
export { EmailSequenceRun, type SequenceRunStatus } from './email-sequence-run';
export { Broadcast, type BroadcastStatus } from './broadcast';
