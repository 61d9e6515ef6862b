import { ApiError, api } from '$lib/server/api';
import { actionFailure } from '$lib/server/action-failure';
import { loadError } from '$lib/server/guard';
import { teamPath } from '$lib/server/current-team';
import type { Delivery, ScheduleView, WebhookView } from '$lib/automation-lifecycle';
import type { Actions, PageServerLoad } from './$types';

type Trigger = Record<string, unknown> & { type?: string };

/**
 * What starts the automation: the live trigger when it is live (else the draft's), and for a webhook its
 * address, secret (editors) and latest deliveries; for a schedule the Temporal Schedule's next run times.
 */
export const load: PageServerLoad = async (event) => {
  event.depends('hf:deliveries');
  const { team, automation, canEdit } = await event.parent();
  const client = api(event);
  const path = `${teamPath(team.id)}/automations/${encodeURIComponent(event.params.automationId)}`;
  const isLive = automation.liveVersion !== null;
  const draft = (automation.definition as { trigger?: Trigger } | null)?.trigger ?? null;
  const trigger: Trigger | null = isLive ? (automation.trigger as Trigger) : draft;
  // The unpublished changes start it another way: say so.
  const draftDiffers = isLive && draft !== null && draft.type !== trigger?.type ? (draft.type ?? null) : null;

  let webhook: WebhookView | null = null;
  let deliveries: Delivery[] = [];
  let schedule: ScheduleView | null = null;
  let problem: string | null = null;
  try {
    if (isLive && trigger?.type === 'webhook') {
      const [hook, list] = await Promise.all([
        canEdit
          ? client.get<{ webhook: WebhookView }>(`${path}/webhook`).then(
              (r) => r.webhook,
              (err: unknown) => {
                if (err instanceof ApiError && err.status === 409) return null;
                throw err;
              },
            )
          : Promise.resolve(null),
        client.get<{ deliveries: Delivery[] }>(`${path}/deliveries?limit=20`),
      ]);
      webhook = hook;
      deliveries = list.deliveries;
    } else if (isLive && trigger?.type === 'schedule') {
      try {
        schedule = (await client.get<{ schedule: ScheduleView | null }>(`${path}/schedule`)).schedule;
      } catch (err) {
        if (!(err instanceof ApiError) || err.status < 500) throw err;
        problem =
          'The next run times cannot be read right now (the background worker is not reachable). Try again in a minute.';
      }
    }
  } catch (err) {
    loadError(err);
  }
  return { trigger, isLive, draftDiffers, webhook, deliveries, schedule, problem };
};

export const actions: Actions = {
  /** A new webhook secret; the old one stops working at once. */
  rotate: async (event) => {
    const path = `${teamPath(event.params.teamId)}/automations/${encodeURIComponent(event.params.automationId)}`;
    try {
      await api(event).post(`${path}/webhook/rotate`);
      return {
        action: 'rotate' as const,
        success: 'New secret made. Senders using the old one are refused from now on.',
      };
    } catch (err) {
      return actionFailure(
        err,
        { action: 'rotate' as const },
        'Your role in this team cannot change the secret.',
      );
    }
  },
};
