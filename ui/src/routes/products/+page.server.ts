import { fail } from '@sveltejs/kit';
import { ApiError, api } from '$lib/server/api';
import { loadError, requireUser } from '$lib/server/guard';
import type { CategoriesResponse, ProductPage, SyncStarted, SyncStatus } from '$api/products';
import { productQuery } from '$lib/catalog';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  const client = api(event);
  const params = event.url.searchParams;
  try {
    const [page, { categories }, sync] = await Promise.all([
      client.get<ProductPage>(`/products?${productQuery(params)}`),
      client.get<CategoriesResponse>('/products/categories'),
      client.get<SyncStatus>('/products/sync'),
    ]);
    return {
      page,
      categories,
      sync,
      filters: {
        q: params.get('q') ?? '',
        category: params.get('category') ?? '',
        sort: params.get('sort') ?? 'gravity',
        order: params.get('order') ?? 'desc',
      },
    };
  } catch (err) {
    loadError(err);
  }
};

export const actions: Actions = {
  sync: async (event) => {
    requireUser(event);
    try {
      const started = await api(event).post<SyncStarted>('/products/sync');
      return { syncStarted: started.started, joined: !started.started };
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return fail(err.status >= 500 ? 502 : err.status, { syncError: err.message });
    }
  },
};
