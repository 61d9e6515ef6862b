import { defineRoute, type ApiRoute } from '../http/route';
import {
  categoriesResponse,
  listProductsQuery,
  productParams,
  productResponse,
  productsPageResponse,
  syncStartedResponse,
  syncStatusResponse,
} from '../schemas/products';
import type { ProductService } from '../services/products';

/** The shared ClickBank catalog: any signed-in user may browse it and ask for a sync. */
export function productRoutes(products: ProductService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/products',
      summary: 'Search the catalog (full text, category, sort, keyset pagination)',
      tag: 'products',
      auth: true,
      query: listProductsQuery,
      responses: { 200: { description: 'One page of products', schema: productsPageResponse } },
      handler: async ({ query }) => ({ body: await products.list(query) }),
    }),
    // Literal paths before /products/{productId}, which would otherwise catch them.
    defineRoute({
      method: 'get',
      path: '/products/categories',
      summary: 'Top-level categories with how many products each holds',
      tag: 'products',
      auth: true,
      responses: { 200: { description: 'Categories', schema: categoriesResponse } },
      handler: async () => ({ body: await products.categories() }),
    }),
    defineRoute({
      method: 'post',
      path: '/products/sync',
      summary: 'Start a catalog sync now (joins the one already running)',
      tag: 'products',
      auth: true,
      responses: {
        202: { description: 'Started or joined', schema: syncStartedResponse },
        503: { description: 'temporal_unavailable' },
      },
      handler: async ({ auth }) => ({ status: 202, body: await products.startSync(auth.userId) }),
    }),
    defineRoute({
      method: 'get',
      path: '/products/sync',
      summary: 'Whether a sync is running, its live progress and the last completed sync',
      tag: 'products',
      auth: true,
      responses: {
        200: { description: 'Sync state', schema: syncStatusResponse },
        503: { description: 'temporal_unavailable' },
      },
      handler: async () => ({ body: await products.syncStatus() }),
    }),
    defineRoute({
      method: 'get',
      path: '/products/{productId}',
      summary: 'One product with its daily gravity history (last 90 days)',
      tag: 'products',
      auth: true,
      params: productParams,
      responses: { 200: { description: 'Product', schema: productResponse } },
      handler: async ({ params }) => ({ body: await products.get(params.productId) }),
    }),
  ];
}
