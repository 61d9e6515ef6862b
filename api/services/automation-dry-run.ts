import type { Knex } from 'knex';
import { latestAutomationVersion } from '../../data/automation-dry-run';
import { dryRunStep } from '../../lib/automations/dry-run';
import { ConfigFieldError } from '../../lib/automations/resolve-config';
import { ConfigValueError } from '../../lib/automations/step-config';
import type { Step } from '../../lib/automations/steps';
import { allSteps } from '../../lib/automations/walk';
import type { Config } from '../../lib/config';
import { AppError, badRequest } from '../../lib/errors';
import type { TeamMembership } from '../http/locals';
import type { z } from '../schemas/zod';
import type { dryRunBody } from '../schemas/automation-dry-run';

const automationNotFound = () => new AppError(404, 'automation_not_found', 'Automation not found');

export interface AutomationDryRunDeps {
  db: Knex;
  config: Pick<Config, 'automations'>;
}

export function createAutomationDryRunService({ db, config }: AutomationDryRunDeps) {
  return {
    /** One step of the latest version, with the sample as its scope; nothing is sent, written or started. */
    async dryRun(m: TeamMembership, automationId: string, body: z.output<typeof dryRunBody>) {
      const latest = await latestAutomationVersion(db, m.teamId, automationId);
      if (!latest) throw automationNotFound();
      const steps = (latest.definition as { steps?: Step[] } | null)?.steps ?? [];
      const step = [...allSteps(steps)].find((s) => s.id === body.step_id);
      if (!step) {
        throw badRequest('No step of the latest version has this id', [
          { path: 'step_id', message: `no step "${body.step_id}" in version ${latest.version}` },
        ]);
      }
      const scope = {
        trigger: body.sample.trigger ?? {},
        steps: body.sample.steps,
        vars: body.sample.vars,
        run: {
          id: `dry-run:${automationId}`,
          automation_id: automationId,
          team_id: m.teamId,
          version: latest.version,
          started_at: new Date().toISOString(),
        },
      };
      try {
        const result = await dryRunStep(step, scope, { http: config.automations.http });
        return { step_id: step.id, type: step.type, config: result.config, preview: result.preview };
      } catch (error) {
        if (error instanceof ConfigFieldError || error instanceof ConfigValueError) {
          throw badRequest(error.message, [{ path: error.path, message: error.reason }], 'step_failed');
        }
        throw error;
      }
    },
  };
}

export type AutomationDryRunService = ReturnType<typeof createAutomationDryRunService>;
