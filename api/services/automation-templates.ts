import type { Knex } from 'knex';
import { findCampaign } from '../../data/campaigns';
import { findSequence } from '../../data/sequences';
import { automationTemplates, instantiateTemplate } from '../../lib/automations/gallery';
import { badRequest, type ErrorDetail } from '../../lib/errors';
import type { TeamMembership } from '../http/locals';
import type { AutomationService } from './automations';

/** The gallery as the builder lists it: what each template starts on, uses and asks for (never its build). */
function listTemplates() {
  return {
    templates: automationTemplates.map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description,
      trigger: t.trigger,
      connects: t.connects,
      needs: t.needs.map((n) => ({ ...n, required: n.default === undefined })),
    })),
  };
}

export function createAutomationTemplateService(deps: { db: Knex; automations: AutomationService }) {
  const { db, automations } = deps;

  /** The campaigns and sequences the values name must be the team's own (another team's id reads as unknown). */
  async function foreignIds(teamId: string, values: Record<string, string>, templateId: string) {
    const template = automationTemplates.find((t) => t.id === templateId)!;
    const problems: ErrorDetail[] = [];
    for (const need of template.needs) {
      const value = values[need.key]?.trim();
      if (!value) continue;
      if (need.kind === 'campaign' && !(await findCampaign(db, teamId, value))) {
        problems.push({ path: `values.${need.key}`, message: 'no campaign of this team has this id' });
      }
      if (need.kind === 'sequence' && !(await findSequence(db, teamId, value))) {
        problems.push({ path: `values.${need.key}`, message: 'no sequence of this team has this id' });
      }
    }
    return problems;
  }

  return {
    list: listTemplates,

    /** A new automation (a draft: nothing runs until it is activated) from a template and the builder's values. */
    async create(
      m: TeamMembership,
      userId: string,
      body: { template_id: string; name?: string; values: Record<string, string> },
    ) {
      const template = automationTemplates.find((t) => t.id === body.template_id);
      if (!template) {
        throw badRequest('There is no template with this id', [
          { path: 'template_id', message: `one of ${automationTemplates.map((t) => t.id).join(', ')}` },
        ]);
      }
      const result = instantiateTemplate(template, body.values);
      if (!result.ok) {
        throw badRequest(
          'The values do not fit the template',
          result.problems.map((p) => ({
            // Problems of the values keep their `values.<key>` path; the rest are the definition's.
            path: p.path.startsWith('values.') ? p.path : p.path ? `definition.${p.path}` : 'definition',
            message: p.message,
          })),
        );
      }
      const foreign = await foreignIds(m.teamId, body.values, template.id);
      if (foreign.length > 0) throw badRequest('The values do not fit the template', foreign);
      return automations.create(m, userId, {
        name: body.name ?? template.name.slice(0, 120),
        description: template.description,
        definition: result.definition,
      });
    },
  };
}

export type AutomationTemplateService = ReturnType<typeof createAutomationTemplateService>;
