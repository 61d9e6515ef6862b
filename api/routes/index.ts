import type { ApiDeps } from '../deps';
import type { ApiRoute } from '../http/route';
import type { ApiMetrics } from '../http/metrics';
import { createAutomationHookService } from '../services/automation-hooks';
import { createAutomationRunService } from '../services/automation-runs';
import { createAutomationService } from '../services/automations';
import { createAutomationTemplateService } from '../services/automation-templates';
import { createAuthService } from '../services/auth';
import { createBonusService } from '../services/bonuses';
import { createCampaignService } from '../services/campaigns';
import { createContactImportService } from '../services/contact-import';
import { createContactService } from '../services/contacts';
import { createContentService } from '../services/content';
import { createDemoDataService } from '../services/demo-data';
import { createInsightService } from '../services/insights';
import { createAnalyticsService } from '../services/analytics';
import { createIntegrationService } from '../services/integrations';
import { createPlatformCheckService } from '../services/platform-checks';
import { createRunService } from '../services/runs';
import { createProductService } from '../services/products';
import { createTeamService } from '../services/teams';
import { createTrackingLinkService } from '../services/tracking-links';
import { createSequenceService } from '../services/sequences';
import { createBroadcastService } from '../services/broadcasts';
import { apiVersion } from '../version';
import { accountRoutes } from './account';
import { authRoutes } from './auth';
import { automationHookRoutes } from './automation-hooks';
import { automationRunRoutes } from './automation-runs';
import { automationRoutes } from './automations';
import { automationTemplateRoutes } from './automation-templates';
import { bonusRoutes } from './bonuses';
import { campaignRoutes } from './campaigns';
import { contactRoutes } from './contacts';
import { contentRoutes } from './content';
import { demoDataRoutes } from './demo-data';
import { insightRoutes } from './insights';
import { analyticsRoutes } from './analytics';
import { integrationRoutes } from './integrations';
import { platformCheckRoutes } from './platform-checks';
import { runRoutes } from './runs';
import { productRoutes } from './products';
import { teamRoutes } from './teams';
import { trackingLinkRoutes } from './tracking-links';
import { sequenceRoutes } from './sequences';
import { broadcastRoutes } from './broadcasts';
import { automationDryRunRoutes } from './automation-dry-run';
import { createAutomationDryRunService } from '../services/automation-dry-run';

/** The route table: the router and the OpenAPI document are both built from this one list. */
export function apiRoutes(deps: ApiDeps, metrics: ApiMetrics): ApiRoute[] {
  const auth = createAuthService(deps);
  const teams = createTeamService(deps);
  const checks = createPlatformCheckService({ ...deps, metrics });
  const integrations = createIntegrationService(deps);
  const automationRuns = createAutomationRunService(deps);
  const automations = createAutomationService(deps);
  return [
    ...authRoutes(auth),
    ...accountRoutes(auth, deps.config, apiVersion),
    ...teamRoutes(teams),
    ...platformCheckRoutes(checks),
    ...integrationRoutes(integrations),
    ...productRoutes(createProductService(deps)),
    ...campaignRoutes(createCampaignService(deps)),
    ...trackingLinkRoutes(createTrackingLinkService(deps)),
    ...runRoutes(createRunService(deps)),
    ...contentRoutes(createContentService(deps)),
    ...sequenceRoutes(createSequenceService(deps)),
    ...broadcastRoutes(createBroadcastService(deps)),
    ...contactRoutes(createContactService(deps), createContactImportService(deps), deps.config),
    ...bonusRoutes(createBonusService(deps), deps.config),
    ...insightRoutes(createInsightService(deps)),
    ...analyticsRoutes(createAnalyticsService(deps)),
    ...automationDryRunRoutes(createAutomationDryRunService(deps)),
    ...automationTemplateRoutes(createAutomationTemplateService({ db: deps.db, automations })),
    ...automationRoutes(automations, automationRuns),
    ...automationRunRoutes(automationRuns),
    ...automationHookRoutes(createAutomationHookService(deps)),
    ...demoDataRoutes(createDemoDataService(deps)),
  ];
}
