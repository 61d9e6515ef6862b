import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes every run may carry, so ops can filter runs in Temporal Web
 * (for example `TeamId = "<uuid>"`). The dev server registers them at start; a cluster registers them
 * with `temporal operator search-attribute create` (see docs/operations.md).
 */
export const SearchAttr = {
  TeamId: defineSearchAttributeKey('TeamId', SearchAttributeType.KEYWORD),
  UserId: defineSearchAttributeKey('UserId', SearchAttributeType.KEYWORD),
  CampaignId: defineSearchAttributeKey('CampaignId', SearchAttributeType.KEYWORD),
  ContentId: defineSearchAttributeKey('ContentId', SearchAttributeType.KEYWORD),
  AutomationId: defineSearchAttributeKey('AutomationId', SearchAttributeType.KEYWORD),
  /** The step an automation run is in now (its key), or empty when it is between steps or done. */
  AutomationStep: defineSearchAttributeKey('AutomationStep', SearchAttributeType.KEYWORD),
  TriggerSource: defineSearchAttributeKey('TriggerSource', SearchAttributeType.KEYWORD),
} as const;

/** `Name=Type` pairs for `temporal server start-dev --search-attribute`. */
export const searchAttributeFlags: string[] = Object.values(SearchAttr).map((key) => `${key.name}=Keyword`);
