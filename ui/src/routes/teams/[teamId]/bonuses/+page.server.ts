import { api } from '$lib/server/api';
import { actionFailure } from '$lib/server/action-failure';
import { field } from '$lib/server/forms';
import { loadError } from '$lib/server/guard';
import { requireTeam, teamPath } from '$lib/server/current-team';
import type { BonusesResponse, BonusTestDelivery, DeliveriesResponse } from '$api/bonuses';
import type { CampaignsResponse } from '$api/campaigns';
import type { Actions, PageServerLoad } from './$types';

const forbidden = 'Your role in this team cannot change bonuses.';

export const load: PageServerLoad = async (event) => {
  const team = requireTeam(event);
  const client = api(event);
  try {
    const [{ bonuses }, { deliveries }, { campaigns }] = await Promise.all([
      client.get<BonusesResponse>(`${teamPath(team.id)}/bonuses`),
      client.get<DeliveriesResponse>(`${teamPath(team.id)}/bonus-deliveries?limit=100`),
      client.get<CampaignsResponse>(`${teamPath(team.id)}/campaigns`),
    ]);
    return { team, bonuses, deliveries, campaigns };
  } catch (err) {
    loadError(err);
  }
};

const campaignIdsOf = (data: FormData) =>
  data.getAll('campaignIds').filter((v): v is string => typeof v === 'string' && v !== '');

export const actions: Actions = {
  /** A link bonus (a file bonus is uploaded by the browser to ./upload). */
  create: async (event) => {
    const team = requireTeam(event);
    const data = await event.request.formData();
    const values = {
      name: field(data, 'name'),
      description: field(data, 'description'),
      url: field(data, 'url'),
    };
    try {
      await api(event).post(`${teamPath(team.id)}/bonuses`, {
        ...values,
        description: values.description || undefined,
        campaignIds: campaignIdsOf(data),
      });
      return { action: 'create' as const, success: `Bonus “${values.name}” added.` };
    } catch (err) {
      return actionFailure(err, { action: 'create' as const, values }, forbidden, [
        'name',
        'description',
        'url',
        'campaignIds',
      ]);
    }
  },
  campaigns: async (event) => {
    const team = requireTeam(event);
    const data = await event.request.formData();
    const bonusId = field(data, 'bonusId');
    try {
      await api(event).put(`${teamPath(team.id)}/bonuses/${encodeURIComponent(bonusId)}/campaigns`, {
        campaignIds: campaignIdsOf(data),
      });
      return { action: 'campaigns' as const, bonusId, success: 'Campaigns saved.' };
    } catch (err) {
      return actionFailure(err, { action: 'campaigns' as const, bonusId }, forbidden, []);
    }
  },
  /** The buyer's email for this bonus, sent to me as a test (not counted as a delivery). */
  test: async (event) => {
    const team = requireTeam(event);
    const bonusId = field(await event.request.formData(), 'bonusId');
    try {
      const { sentTo } = await api(event).post<BonusTestDelivery>(
        `${teamPath(team.id)}/bonuses/${encodeURIComponent(bonusId)}/test-delivery`,
      );
      return {
        action: 'test' as const,
        bonusId,
        success: `Test email on its way to ${sentTo}. It is not counted as a delivery.`,
      };
    } catch (err) {
      return actionFailure(err, { action: 'test' as const, bonusId }, forbidden, []);
    }
  },
  remove: async (event) => {
    const team = requireTeam(event);
    const bonusId = field(await event.request.formData(), 'bonusId');
    try {
      await api(event).del(`${teamPath(team.id)}/bonuses/${encodeURIComponent(bonusId)}`);
      return { action: 'remove' as const, bonusId, success: 'Deleted.' };
    } catch (err) {
      return actionFailure(err, { action: 'remove' as const, bonusId }, forbidden, []);
    }
  },
};
