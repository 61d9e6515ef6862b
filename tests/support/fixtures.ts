import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import request from 'supertest';
import type { Campaign } from '../../api/schemas/campaigns';
import { bearer, registerUser, type AppUnderTest, type RegisteredUser } from './api';

/**
 * The "user + team + campaign" a test starts from, built one way everywhere:
 *
 *   const { user, teamId, campaign, auth } = await given.userWithCampaign(api, { campaign: { name: 'Spring' } });
 *   const other = await given.campaign(api, owner, { teamId, vendor: 'fitvend1' });
 *
 * Users, teams and campaigns go through the real API (so its rules apply: roles, the tid and HopLink it makes);
 * only what no API writes is inserted: catalog products (the sync workflow fills the catalog) and, for tests
 * that need a tid of their choosing (sales find their campaign by tid), a campaign row.
 */

/** The app to call (an Express app or a listening server) and the database for the rows no API writes. */
export interface Setting {
  app: AppUnderTest;
  db: Knex;
}

/** Columns of a catalog product row; unset ones get a unique clickbank_id and a plain title. */
export interface ProductRow {
  clickbank_id?: string;
  title?: string;
  description?: string;
  category_path?: string[];
  gravity?: number;
}

/**
 * What POST /teams/:teamId/campaigns gets: a name and a productId or a vendor; or `product`, a catalog product
 * inserted first for the campaign to promote. `teamId` defaults to the user's personal team.
 */
export interface CampaignSpec {
  teamId?: string;
  name?: string;
  productId?: string;
  vendor?: string;
  product?: ProductRow;
}

/** A campaign row written straight to the table; unset columns keep the table's defaults (status 'draft'). */
export interface CampaignRowSpec {
  teamId: string;
  tid: string;
  /** Default `Campaign <tid>`. */
  name?: string;
  /** Default `https://hop.clickbank.net/?tid=<tid>`. */
  hoplink?: string;
  vendor?: string;
  productId?: string;
  status?: Campaign['status'];
}

export interface UserWithCampaign {
  user: RegisteredUser;
  /** The user's personal team (they own it). */
  teamId: string;
  campaign: Campaign;
  /** The user's Authorization header. */
  auth: { Authorization: string };
}

async function product(db: Knex, row: ProductRow = {}): Promise<{ id: string }> {
  const [inserted] = await db('products')
    .insert({ clickbank_id: `t${randomUUID().slice(0, 8)}`, title: 'Test product', ...row })
    .returning<{ id: string }[]>('id');
  return inserted!;
}

async function campaign(s: Setting, as: RegisteredUser, spec: CampaignSpec = {}): Promise<Campaign> {
  const { teamId = as.personalTeamId, name = 'Test campaign', productId, vendor, product: row } = spec;
  const target = row
    ? { productId: (await product(s.db, row)).id }
    : productId
      ? { productId }
      : { vendor: vendor ?? 'testvend1' };
  const res = await request(s.app)
    .post(`/api/v1/teams/${teamId}/campaigns`)
    .set(bearer(as.accessToken))
    .send({ name, ...target });
  if (res.status !== 201)
    throw new Error(`create campaign failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { campaign: Campaign }).campaign;
}

export const given = {
  /** A catalog product row. */
  product,

  /** A campaign created through the API by `as` (an editor or above of the team). */
  campaign,

  /** A newly registered user, their personal team and a campaign in it made through the API. */
  async userWithCampaign(
    s: Setting,
    opts: { label?: string; campaign?: Omit<CampaignSpec, 'teamId'> } = {},
  ): Promise<UserWithCampaign> {
    const user = await registerUser(s.app, opts.label ?? 'campaign-owner');
    return {
      user,
      teamId: user.personalTeamId,
      campaign: await campaign(s, user, opts.campaign),
      auth: bearer(user.accessToken),
    };
  },

  /** A campaign row with the tid the test chooses (the API always makes its own tid). */
  async campaignRow(db: Knex, spec: CampaignRowSpec): Promise<{ id: string; tid: string }> {
    const { teamId, tid, name = `Campaign ${tid}`, hoplink = `https://hop.clickbank.net/?tid=${tid}` } = spec;
    const [row] = await db('campaigns')
      .insert({
        team_id: teamId,
        name,
        tid,
        hoplink,
        ...(spec.vendor !== undefined && { vendor: spec.vendor }),
        ...(spec.productId !== undefined && { product_id: spec.productId }),
        ...(spec.status !== undefined && { status: spec.status }),
      })
      .returning<{ id: string; tid: string }[]>(['id', 'tid']);
    return row!;
  },
};
