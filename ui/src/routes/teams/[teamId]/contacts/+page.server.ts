import { api } from '$lib/server/api';
import { actionFailure } from '$lib/server/action-failure';
import { field } from '$lib/server/forms';
import { loadError } from '$lib/server/guard';
import { requireTeam, teamPath } from '$lib/server/current-team';
import type { ContactPage, ContactResponse, ContactTags } from '$api/contacts';
import { isContactStatus, parseTags } from '$lib/contacts';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = async (event) => {
  const team = requireTeam(event);
  const params = event.url.searchParams;
  const wanted = params.get('status');
  const filters = {
    q: params.get('q')?.trim() ?? '',
    tag: params.get('tag')?.trim() ?? '',
    status: isContactStatus(wanted) ? wanted : '',
  };
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  for (const [k, v] of Object.entries(filters)) if (v) query.set(k, v);
  const cursor = params.get('cursor');
  if (cursor) query.set('cursor', cursor);
  const client = api(event);
  try {
    const [page, { tags }] = await Promise.all([
      client.get<ContactPage>(`${teamPath(team.id)}/contacts?${query}`),
      client.get<ContactTags>(`${teamPath(team.id)}/contacts/tags`),
    ]);
    return { team, page, tags, filters, paged: cursor !== null };
  } catch (err) {
    loadError(err);
  }
};

const forbidden = 'Your role in this team cannot change contacts.';

export const actions: Actions = {
  create: async (event) => {
    const team = requireTeam(event);
    const data = await event.request.formData();
    const values = {
      email: field(data, 'email'),
      firstName: field(data, 'firstName'),
      lastName: field(data, 'lastName'),
      tags: field(data, 'tags'),
    };
    try {
      const { contact } = await api(event).post<ContactResponse>(`${teamPath(team.id)}/contacts`, {
        ...values,
        tags: parseTags(values.tags),
      });
      return { action: 'create' as const, success: `Added ${contact.email}.` };
    } catch (err) {
      return actionFailure(err, { action: 'create' as const, values }, forbidden, [
        'email',
        'firstName',
        'lastName',
        'tags',
      ]);
    }
  },
  update: async (event) => {
    const team = requireTeam(event);
    const data = await event.request.formData();
    const contactId = field(data, 'contactId');
    const body: Record<string, unknown> = { tags: parseTags(field(data, 'tags')) };
    if (field(data, 'unsubscribe') === 'yes') body.status = 'unsubscribed';
    try {
      await api(event).patch(`${teamPath(team.id)}/contacts/${encodeURIComponent(contactId)}`, body);
      return {
        action: 'update' as const,
        contactId,
        success: body.status === 'unsubscribed' ? 'Unsubscribed.' : 'Saved.',
      };
    } catch (err) {
      return actionFailure(err, { action: 'update' as const, contactId }, forbidden, ['tags']);
    }
  },
  remove: async (event) => {
    const team = requireTeam(event);
    const data = await event.request.formData();
    const contactId = field(data, 'contactId');
    try {
      await api(event).del(`${teamPath(team.id)}/contacts/${encodeURIComponent(contactId)}`);
      return { action: 'remove' as const, contactId, success: 'Contact deleted.' };
    } catch (err) {
      return actionFailure(err, { action: 'update' as const, contactId }, forbidden, []);
    }
  },
};
