import knex, { type Knex } from 'knex';
import request from 'supertest';
import { countContacts, listContacts } from '../../data/contact-list';
import { createDb, migrateLatest } from '../../db/connection';
import {
  bearer,
  createTeamWith,
  createTestApi,
  expectErrorShape,
  registerUser,
  type RegisteredUser,
  type TestApi,
} from '../support/api';

/**
 * What keeps one tenant's big contact list from stalling everybody else (issue 10): the search is served by the
 * trigram index, a statement running past the API's statement timeout answers 503, and a team has at most a
 * few heavy requests (searches, imports) in flight at once.
 */

interface ContactPage {
  contacts: { email: string }[];
  total: number;
}
interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every node of a JSON plan, depth first. */
const planNodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(planNodes)];

interface Statement {
  sql: string;
  bindings: readonly unknown[];
}

/** The statements `run` sends through `db`, as sent. */
async function statementsOf(db: Knex, run: () => Promise<unknown>): Promise<Statement[]> {
  const statements: Statement[] = [];
  const record = (q: { sql: string; bindings?: readonly unknown[] }) =>
    statements.push({ sql: q.sql, bindings: q.bindings ?? [] });
  db.on('query', record);
  try {
    await run();
  } finally {
    db.removeListener('query', record);
  }
  return statements;
}

/** Every node of the plan PostgreSQL makes for a statement as it was sent. */
async function planOf(db: Knex, { sql, bindings }: Statement): Promise<PlanNode[]> {
  const { rows } = await db.raw<{ rows: { 'QUERY PLAN': [{ Plan: PlanNode }] }[] }>(
    // The statement as sent ($1, $2 ...), back to knex's placeholders (it has no other `$`).
    `EXPLAIN (FORMAT JSON) ${sql.replace(/\$\d+/g, '?')}`,
    bindings as Knex.RawBinding[],
  );
  return planNodes(rows[0]!['QUERY PLAN'][0].Plan);
}

/** Holds ACCESS EXCLUSIVE on contacts from a connection of its own: every read of contacts waits for it. */
async function lockContacts(db: Knex): Promise<() => Promise<void>> {
  const trx = await db.transaction();
  await trx.raw('LOCK TABLE contacts IN ACCESS EXCLUSIVE MODE');
  return async () => {
    await trx.commit();
  };
}

/** How many statements of this database wait for a lock on contacts (the requests in flight behind the lock). */
async function waitingOnContacts(db: Knex): Promise<number> {
  const { rows } = await db.raw<{ rows: { n: string }[] }>(
    `SELECT count(*) AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%from "contacts"%'`,
  );
  return Number(rows[0]?.n ?? 0);
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 4000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(25);
  }
}

/** Starts the request now (supertest sends on then()) and resolves to its response. */
const send = (test: request.Test): Promise<request.Response> => Promise.resolve(test);

describe('contact search under load', () => {
  let api: TestApi;
  let owner: RegisteredUser;
  let other: RegisteredUser;

  beforeAll(async () => {
    // Two slots, so one test can show both held and the third refused (the default is one).
    api = await createTestApi({ limits: { heavyRequestsPerTeam: 2 } });
    owner = await registerUser(api.app, 'search-owner');
    other = await registerUser(api.app, 'search-other');
  });
  afterAll(async () => {
    await api?.close();
  });

  const search = (teamId: string, q: string, user = owner) =>
    request(api.app).get(`/api/v1/teams/${teamId}/contacts`).query({ q }).set(bearer(user.accessToken));

  it('finds a full name and takes %, _ and \\ literally, also repeated 200 times', async () => {
    const teamId = await createTeamWith(api.app, owner, [], 'Literal search');
    await api.db.raw(
      `INSERT INTO contacts (team_id, email, first_name, last_name) VALUES
         (?, 'ana@example.com', 'Ana', 'Lopez'),
         (?, 'sale@example.com', '%off', '100% sale'),
         (?, 'path@example.com', '\\temp', null),
         (?, 'under@example.com', '_snake', 'snake_case')`,
      [teamId, teamId, teamId, teamId],
    );
    const emails = async (q: string) =>
      ((await search(teamId, q).expect(200)).body as ContactPage).contacts.map((c) => c.email);
    expect(await emails('ANA LOPEZ')).toEqual(['ana@example.com']);
    // Terms with three letters or digits in a row match anywhere (trigram index) ...
    expect(await emails('100% sale')).toEqual(['sale@example.com']);
    expect(await emails('e_cas')).toEqual(['under@example.com']);
    // ... shorter ones at the start of the email, first or last name (prefix indexes); a wildcard would match all.
    expect(await emails('%')).toEqual(['sale@example.com']);
    expect(await emails('_')).toEqual(['under@example.com']);
    expect(await emails('\\')).toEqual(['path@example.com']);
    expect(await emails('%'.repeat(200))).toEqual([]);
    expect(await emails('_'.repeat(200))).toEqual([]);
  });

  it('is served by the trigram index (EXPLAIN of the very statements the search runs)', async () => {
    const teamId = await createTeamWith(api.app, owner, [], 'Big list');
    await api.db.raw(
      `INSERT INTO contacts (team_id, email, first_name, last_name)
       SELECT ?::uuid, 'reader' || g || '@example.com', 'First' || g, 'Last' || g FROM generate_series(1, 20000) g`,
      [teamId],
    );
    await api.db.raw(
      `INSERT INTO contacts (team_id, email, first_name, last_name) VALUES (?, 'ana.l@example.org', 'Ana', 'Lopez')`,
      [teamId],
    );
    await api.db.raw('ANALYZE contacts');

    const statements = await statementsOf(api.db, async () => {
      const page = await listContacts(api.db, teamId, { q: 'ana lopez', limit: 50 });
      expect(page.contacts.map((c) => c.email)).toEqual(['ana.l@example.org']);
      expect(await countContacts(api.db, teamId, { q: 'ana lopez' })).toEqual({ total: 1, capped: false });
    });
    expect(statements).toHaveLength(2);
    for (const statement of statements) {
      const nodes = await planOf(api.db, statement);
      expect(nodes.map((n) => n['Index Name'])).toContain('contacts_search_trgm');
      expect(nodes.map((n) => n['Node Type'])).not.toContain('Seq Scan');
    }
  });

  it('counts a search up to 10,000 matches and says there are more; a plain listing counts exactly', async () => {
    const teamId = await createTeamWith(api.app, owner, [], 'Huge list');
    await api.db.raw(
      `INSERT INTO contacts (team_id, email, first_name, last_name)
       SELECT ?::uuid, 'buyer' || g || '@example.com', 'First' || g, 'Last' || g FROM generate_series(1, 10050) g`,
      [teamId],
    );
    const page = (await search(teamId, 'buyer').expect(200)).body as ContactPage & { totalCapped: boolean };
    expect(page).toMatchObject({ total: 10_000, totalCapped: true });
    expect((await search(teamId, 'buyer10050@').expect(200)).body).toMatchObject({
      total: 1,
      totalCapped: false,
    });
    const all = await request(api.app).get(`/api/v1/teams/${teamId}/contacts`).set(bearer(owner.accessToken));
    expect(all.body).toMatchObject({ total: 10_050, totalCapped: false });
  });

  it('serves a one- or two-letter term from the prefix indexes, not a scan of the team', async () => {
    const teamId = await createTeamWith(api.app, owner, [], 'Prefix list');
    await api.db.raw(
      `INSERT INTO contacts (team_id, email, first_name, last_name)
       SELECT ?::uuid, 'p' || g || '@example.com', 'First' || g, 'Last' || g FROM generate_series(1, 20000) g`,
      [teamId],
    );
    await api.db.raw('ANALYZE contacts');
    const statements = await statementsOf(api.db, () => listContacts(api.db, teamId, { q: 'zq', limit: 50 }));
    const nodes = await planOf(api.db, statements[0]!);
    expect(nodes.map((n) => n['Index Name'])).toEqual(
      expect.arrayContaining(['contacts_team_email_prefix', 'contacts_team_first_name_prefix']),
    );
    expect(nodes.map((n) => n['Node Type'])).not.toContain('Seq Scan');
  });

  it('lets a team have 2 searches in flight, answers the third 429, and serves another team meanwhile', async () => {
    const busyTeam = await createTeamWith(api.app, owner, [], 'Busy team');
    const otherTeam = await createTeamWith(api.app, other, [], 'Other team');
    const unlock = await lockContacts(api.db);
    let inFlight: Promise<request.Response>[] = [];
    try {
      // Two searches wait behind the lock, holding the team's two slots (list and count each: 4 statements).
      inFlight = [send(search(busyTeam, 'first')), send(search(busyTeam, 'second'))];
      await until('both searches wait for the lock', async () => (await waitingOnContacts(api.db)) >= 4);

      const third = await search(busyTeam, 'third');
      expect(third.status).toBe(429);
      expectErrorShape(third.body, 'team_busy');
      expect((third.body as { error: { message: string } }).error.message).toMatch(
        /already running 2 contact searches or imports.*wait for one to finish/,
      );
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);

      // Another team's search on the same route is not refused: it goes on to the database (and waits there).
      inFlight.push(send(search(otherTeam, 'other', other)));
      await until('the other team reaches the database', async () => (await waitingOnContacts(api.db)) >= 6);
      // A plain page of the same team (no search term) is not a heavy request: it is not refused either.
      inFlight.push(
        send(request(api.app).get(`/api/v1/teams/${busyTeam}/contacts`).set(bearer(owner.accessToken))),
      );
      await until(
        'the plain listing reaches the database',
        async () => (await waitingOnContacts(api.db)) >= 8,
      );
      // The rest of the API does not wait for the contact list.
      const me = await request(api.app).get('/api/v1/me').set(bearer(other.accessToken));
      expect(me.status).toBe(200);
    } finally {
      await unlock();
    }
    expect((await Promise.all(inFlight)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    // The slots came back with the answers.
    expect((await search(busyTeam, 'after')).status).toBe(200);
  });
});

describe('statement timeout and slot release (1 heavy request per team, 300 ms per statement)', () => {
  let api: TestApi;
  let owner: RegisteredUser;
  let teamId: string;

  beforeAll(async () => {
    api = await createTestApi({ statementTimeoutMs: 300, limits: { heavyRequestsPerTeam: 1 } });
    owner = await registerUser(api.app, 'timeout-owner');
    teamId = await createTeamWith(api.app, owner, [], 'Timeout team');
  });
  afterAll(async () => {
    await api?.close();
  });

  const search = (q: string) =>
    request(api.app).get(`/api/v1/teams/${teamId}/contacts`).query({ q }).set(bearer(owner.accessToken));
  const importCsv = (csv: string) =>
    request(api.app)
      .post(`/api/v1/teams/${teamId}/contacts/import`)
      .set(bearer(owner.accessToken))
      .set('Content-Type', 'text/csv')
      .send(csv);

  it('answers 503 database_timeout with Retry-After when a search runs past the timeout, then frees the slot', async () => {
    const unlock = await lockContacts(api.db);
    let res: request.Response;
    const started = Date.now();
    try {
      res = await search('waits for the lock');
    } finally {
      await unlock();
    }
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.status).toBe(503);
    expectErrorShape(res.body, 'database_timeout');
    expect((res.body as { error: { message: string } }).error.message).toMatch(
      /took too long.*narrow the search.*try again/,
    );
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // The one slot was given back: the next search is served.
    expect((await search('waits for nothing')).status).toBe(200);
  });

  it('with the default of one slot, a second heavy request waits for the first, in words', async () => {
    const unlock = await lockContacts(api.db);
    let first: Promise<request.Response> | undefined;
    try {
      first = send(search('holds the slot'));
      await until('the search waits for the lock', async () => (await waitingOnContacts(api.db)) >= 1);
      const second = await importCsv('email\nsecond@example.com\n');
      expect(second.status).toBe(429);
      expect((second.body as { error: { message: string } }).error.message).toBe(
        'Your team is already running a contact search or import, the most allowed at once; wait for it to finish, then try again',
      );
    } finally {
      await unlock();
      await first;
    }
  });

  it('gives the slot back after a 400 from the handler (no leak)', async () => {
    for (let i = 0; i < 3; i++) {
      const bad = await importCsv('name,phone\nAna,123\n');
      expect(bad.status).toBe(400);
    }
    const good = await importCsv('email\nslot-check@example.com\n');
    expect(good.status).toBe(200);
    expect((await search('slot-check')).body).toMatchObject({ total: 1 });
  });
});

describe('where pg_trgm cannot be created', () => {
  const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const suffix = `${Date.now()}_${process.pid}`;
  const dbName = `hopflow_notrgm_${suffix}`;
  const role = `hopflow_notrgm_${suffix}`;
  let admin: Knex;
  let db: Knex;

  beforeAll(async () => {
    admin = knex({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
    // A role that may create tables in the schema but not extensions in the database (no CREATE on it).
    await admin.raw(`CREATE ROLE ${role} LOGIN PASSWORD 'notrgm'`);
    await admin.raw(`CREATE DATABASE ${dbName}`);
    const ownerUrl = new URL(adminUrl);
    ownerUrl.pathname = `/${dbName}`;
    const owner = knex({ client: 'pg', connection: ownerUrl.toString(), pool: { min: 0, max: 1 } });
    try {
      await owner.raw(`GRANT ALL ON SCHEMA public TO ${role}`);
    } finally {
      await owner.destroy();
    }
    const url = new URL(adminUrl);
    url.username = role;
    url.password = 'notrgm';
    url.pathname = `/${dbName}`;
    db = createDb({ database: { url: url.toString(), poolMax: 2, pgliteDir: '' } });
  });
  afterAll(async () => {
    await db?.destroy();
    try {
      await admin.raw(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.raw(`DROP ROLE IF EXISTS ${role}`);
    } finally {
      await admin.destroy();
    }
  });

  it('migrates with the prefix index instead, and the search still finds a full name', async () => {
    await migrateLatest(db);
    const { rows: extensions } = await db.raw<{ rows: unknown[] }>(
      "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'",
    );
    expect(extensions).toEqual([]);
    const { rows: indexes } = await db.raw<{ rows: { indexname: string }[] }>(
      "SELECT indexname FROM pg_indexes WHERE tablename = 'contacts' AND indexname IN ('contacts_search_trgm', 'contacts_email_prefix')",
    );
    expect(indexes.map((i) => i.indexname)).toEqual(['contacts_email_prefix']);

    const [team] = await db('teams').insert({ name: 'No trigrams' }).returning<{ id: string }[]>('id');
    await db('contacts').insert([
      { team_id: team!.id, email: 'ana@example.com', first_name: 'Ana', last_name: 'Lopez' },
      { team_id: team!.id, email: 'bob@example.com', first_name: 'Bob', last_name: null },
    ]);
    const page = await listContacts(db, team!.id, { q: 'Ana Lopez', limit: 10 });
    expect(page.contacts.map((c) => c.email)).toEqual(['ana@example.com']);
  });
});
