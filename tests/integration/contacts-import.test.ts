import request from 'supertest';
import {
  bearer,
  createTeamWith,
  createTestApi,
  expectErrorShape,
  registerUser,
  type RegisteredUser,
  type TestApi,
} from '../support/api';

interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  skipped: { line: number; field: string; message: string }[];
  total: number;
}
interface ErrorBody {
  error: { code: string; message: string; details: { path: string; message: string }[] };
}
interface Row {
  email: string;
  first_name: string | null;
  last_name: string | null;
  tags: string[];
  source: string;
  status: string;
}

describe('contacts CSV import', () => {
  let api: TestApi;
  let owner: RegisteredUser;
  let editor: RegisteredUser;
  let outsider: RegisteredUser;

  beforeAll(async () => {
    // Room for the three overlapping imports of one team below (the per-team cap is tested in
    // contact-search-limits.test.ts).
    api = await createTestApi({ limits: { heavyRequestsPerTeam: 3 } });
    owner = await registerUser(api.app, 'import-owner');
    editor = await registerUser(api.app, 'import-editor');
    outsider = await registerUser(api.app, 'import-outsider');
  });
  afterAll(async () => {
    await api?.close();
  });

  const newTeam = () => createTeamWith(api.app, owner, [{ user: editor, role: 'editor' }], 'Import team');
  const upload = (teamId: string, csv: string | Buffer, query: Record<string, string> = {}, user = editor) =>
    request(api.app)
      .post(`/api/v1/teams/${teamId}/contacts/import`)
      .query(query)
      .set(bearer(user.accessToken))
      .set('Content-Type', 'text/csv')
      .send(csv);
  const imported = async (teamId: string, csv: string, query: Record<string, string> = {}) => {
    const res = await upload(teamId, csv, query);
    if (res.status !== 200) throw new Error(`import failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as ImportResult;
  };
  const rows = (teamId: string) =>
    api
      .db('contacts')
      .where({ team_id: teamId })
      .orderBy('email')
      .select<Row[]>('email', 'first_name', 'last_name', 'tags', 'source', 'status');
  const fields = (body: unknown) => (body as ErrorBody).error.details.map((d) => d.path);

  it('imports good rows and reports bad ones by line and field: BOM, CRLF, header variants, quoted commas, duplicates', async () => {
    const teamId = await newTeam();
    const csv =
      '\uFEFFE-Mail,First Name,LAST_NAME,Tags,Notes\r\n' +
      'Ada@Example.com,Ada,Lovelace,Math; VIP,"likes engines, and poetry"\r\n' +
      'not-an-email,Bad,Row,,\r\n' +
      ',No,Address,,\r\n' +
      '"grace@example.com","Grace","Hopper, Rear Admiral",navy|cobol,\r\n' +
      '\r\n' +
      'ada@example.com,,,buyers,second line for Ada\r\n' +
      `long@example.com,${'x'.repeat(101)},,,\r\n` +
      `tags@example.com,,,${'t'.repeat(41)},\r\n` +
      'short@example.com\r\n';
    const result = await imported(teamId, csv);
    expect(result).toEqual({
      created: 3,
      updated: 0,
      unchanged: 0,
      duplicates: 1,
      skipped: [
        { line: 3, field: 'email', message: 'Not a valid email address: not-an-email' },
        { line: 4, field: 'email', message: 'No email address' },
        { line: 8, field: 'first_name', message: 'At most 100 characters' },
        {
          line: 9,
          field: 'tags',
          message: expect.stringContaining('at most 40 characters') as unknown,
        },
      ],
      total: 8,
    });
    expect(await rows(teamId)).toEqual([
      {
        email: 'ada@example.com',
        first_name: 'Ada',
        last_name: 'Lovelace',
        tags: ['buyers', 'math', 'vip'],
        source: 'import',
        status: 'active',
      },
      {
        email: 'grace@example.com',
        first_name: 'Grace',
        last_name: 'Hopper, Rear Admiral',
        tags: ['cobol', 'navy'],
        source: 'import',
        status: 'active',
      },
      {
        email: 'short@example.com',
        first_name: null,
        last_name: null,
        tags: [],
        source: 'import',
        status: 'active',
      },
    ]);
  });

  it.each([
    ['email,firstname,lastname', 'a@example.com,Ann,Lee'],
    ['Email Address,First_Name,Last Name', 'a@example.com,Ann,Lee'],
    ['e-mail;first name;last name', 'a@example.com;Ann;Lee'],
    ['EMAIL\tFIRSTNAME\tLASTNAME', 'a@example.com\tAnn\tLee'],
    ['Name,Email', '"Ann Lee",a@example.com'],
  ])('maps the header %j', async (header, line) => {
    const teamId = await newTeam();
    expect(await imported(teamId, `${header}\n${line}\n`)).toMatchObject({ created: 1, skipped: [] });
    expect(await rows(teamId)).toMatchObject([
      { email: 'a@example.com', first_name: 'Ann', last_name: 'Lee' },
    ]);
  });

  it('splits a name column into first and last name, and keeps explicit name columns over it', async () => {
    const teamId = await newTeam();
    const csv =
      'name,email,first_name\nMary Ann van Dyke,m@example.com,\nCher,c@example.com,\nX Y,x@example.com,Xavier\n';
    await imported(teamId, csv);
    expect((await rows(teamId)).map((r) => [r.email, r.first_name, r.last_name])).toEqual([
      ['c@example.com', 'Cher', null],
      ['m@example.com', 'Mary', 'Ann van Dyke'],
      ['x@example.com', 'Xavier', null],
    ]);
  });

  it('answers 400 with the field email and the headers it found when there is no email column', async () => {
    const teamId = await newTeam();
    const res = await upload(teamId, 'Full Name,Phone\nAda,123\n');
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'validation_failed');
    const { details } = (res.body as ErrorBody).error;
    expect(details).toHaveLength(1);
    expect(details[0]!.path).toBe('email');
    expect(details[0]!.message).toContain('"Full Name", "Phone"');

    const empty = await upload(teamId, '');
    expect(empty.status).toBe(400);
    expect(fields(empty.body)).toEqual(['email']);
    expect(await rows(teamId)).toEqual([]);
  });

  it('re-importing adds new tags and fills empty names without duplicating contacts or overwriting names', async () => {
    const teamId = await newTeam();
    await imported(
      teamId,
      'email,first_name,tags\nann@example.com,Ann,a\nbob@example.com,,b\ncid@example.com,Cid,c\n',
    );
    const again = await imported(
      teamId,
      'email,first_name,last_name,tags\nANN@example.com,Annie,,a;new\nbob@example.com,Bob,Builder,b\ncid@example.com,,,c\n',
      { tags: 'Webinar' },
    );
    // cid gets the query tag: all three change.
    expect(again).toEqual({ created: 0, updated: 3, unchanged: 0, duplicates: 0, skipped: [], total: 3 });
    expect(await rows(teamId)).toMatchObject([
      { email: 'ann@example.com', first_name: 'Ann', last_name: null, tags: ['a', 'new', 'webinar'] },
      { email: 'bob@example.com', first_name: 'Bob', last_name: 'Builder', tags: ['b', 'webinar'] },
      { email: 'cid@example.com', first_name: 'Cid', last_name: null, tags: ['c', 'webinar'] },
    ]);
    const same = await imported(
      teamId,
      'email,tags\nann@example.com,new\nbob@example.com,\ndan@example.com,\n',
    );
    expect(same).toEqual({ created: 1, updated: 0, unchanged: 2, duplicates: 0, skipped: [], total: 3 });
    expect(await rows(teamId)).toHaveLength(4);
  });

  it('never revives an unsubscribed or inactive contact, though its tags and names may be filled', async () => {
    const teamId = await newTeam();
    await imported(teamId, 'email\ngone@example.com\nbounced@example.com\n');
    await api.db('contacts').where({ team_id: teamId, email: 'gone@example.com' }).update({
      status: 'unsubscribed',
      status_reason: 'Unsubscribed via link',
      status_changed_at: new Date(),
    });
    await api
      .db('contacts')
      .where({ team_id: teamId, email: 'bounced@example.com' })
      .update({ status: 'inactive', status_reason: 'HardBounce', status_changed_at: new Date() });
    const result = await imported(
      teamId,
      'email,first_name,tags\ngone@example.com,Gone,again\nbounced@example.com,,again\n',
    );
    expect(result).toMatchObject({ created: 0, updated: 2 });
    const after = await api
      .db('contacts')
      .where({ team_id: teamId })
      .orderBy('email')
      .select('email', 'status', 'status_reason', 'tags', 'first_name', 'source');
    expect(after).toEqual([
      {
        email: 'bounced@example.com',
        status: 'inactive',
        status_reason: 'HardBounce',
        tags: ['again'],
        first_name: null,
        source: 'import',
      },
      {
        email: 'gone@example.com',
        status: 'unsubscribed',
        status_reason: 'Unsubscribed via link',
        tags: ['again'],
        first_name: 'Gone',
        source: 'import',
      },
    ]);
  });

  it('adds the query tags to every row, validates them, and offsets line numbers for pieces of a bigger file', async () => {
    const teamId = await newTeam();
    const result = await imported(teamId, 'email\nq@example.com\nbad\n', {
      tags: ' Spring , 2026,',
      lineOffset: '1000',
    });
    expect(result.skipped).toEqual([
      { line: 1003, field: 'email', message: 'Not a valid email address: bad' },
    ]);
    expect(await rows(teamId)).toMatchObject([{ email: 'q@example.com', tags: ['2026', 'spring'] }]);

    const badTag = await upload(teamId, 'email\nq@example.com\n', { tags: `ok,${'x'.repeat(41)}` });
    expect(badTag.status).toBe(400);
    expect(fields(badTag.body)).toEqual(['query.tags.1']);
    const tooMany = await upload(teamId, 'email\nq@example.com\n', {
      tags: Array.from({ length: 21 }, (_, i) => `t${i}`).join(','),
    });
    expect(fields(tooMany.body)).toEqual(['query.tags']);
    const badOffset = await upload(teamId, 'email\n', { lineOffset: '-1' });
    expect(fields(badOffset.body)).toEqual(['query.lineOffset']);
  });

  it('keeps a contact at 20 tags: a row that would go past it is skipped with the field tags', async () => {
    const teamId = await newTeam();
    const nineteen = Array.from({ length: 19 }, (_, i) => `tag${String(i).padStart(2, '0')}`);
    await imported(teamId, `email,tags\nfull@example.com,${nineteen.join(';')}\n`);
    const result = await imported(
      teamId,
      'email,tags\nfull@example.com,one;two\nfull2@example.com,one;two\n',
    );
    expect(result).toMatchObject({ created: 1, updated: 0, unchanged: 0 });
    expect(result.skipped).toEqual([
      { line: 2, field: 'tags', message: expect.stringContaining('At most 20 tags') as unknown },
    ]);
    const one = await imported(teamId, 'email,tags\nfull@example.com,one\n');
    expect(one).toMatchObject({ updated: 1, skipped: [] });
    const [full] = (await rows(teamId)).filter((r) => r.email === 'full@example.com');
    expect(full!.tags).toHaveLength(20);
    // Within one file too: 21 distinct tags on a row.
    const wide = await imported(
      teamId,
      `email,tags\nwide@example.com,${[...nineteen, 'a', 'b'].join('|')}\n`,
    );
    expect(wide.skipped).toEqual([
      { line: 2, field: 'tags', message: expect.stringContaining('At most 20') as unknown },
    ]);
  });

  it('keeps stray quotes as text and reports an unclosed quote instead of failing the file', async () => {
    const teamId = await newTeam();
    const csv = 'email,first_name\nok1@example.com,He said "hi"\nok2@example.com,"Broken"quote\n';
    const result = await imported(teamId, csv);
    expect(result).toMatchObject({ created: 2, total: 2, skipped: [] });
    expect((await rows(teamId)).map((r) => r.first_name)).toEqual(['He said "hi"', '"Broken"quote']);

    const unclosed = await upload(
      teamId,
      'email,first_name\nok3@example.com,Three\nok4@example.com,"never closed\nok5@example.com,x\n',
    );
    expect(unclosed.status).toBe(200);
    expect(unclosed.body).toMatchObject({
      created: 1,
      total: 2,
      skipped: [{ line: 3, field: 'row', message: expect.stringContaining('never closed') as unknown }],
    });
  });

  it('answers 415 for JSON or forms and 413 above 10 MB', async () => {
    const teamId = await newTeam();
    const json = await request(api.app)
      .post(`/api/v1/teams/${teamId}/contacts/import`)
      .set(bearer(editor.accessToken))
      .send({ email: 'x@example.com' });
    expect(json.status).toBe(415);
    expectErrorShape(json.body, 'unsupported_media_type');

    const big = Buffer.alloc(10 * 1024 * 1024 + 10, 'a');
    big.write('email\n');
    const res = await upload(teamId, big);
    expect(res.status).toBe(413);
    expectErrorShape(res.body, 'payload_too_large');
    expect(await rows(teamId)).toEqual([]);
  });

  it('refuses more than 10,000 data rows (CONTACT_IMPORT_MAX_ROWS) with 413 naming the file and the import job, and takes exactly 10,000', async () => {
    const teamId = await newTeam();
    const lines = Array.from({ length: 10_001 }, (_, i) => `cap${i}@example.com`);
    // Blank lines do not count as rows: 10,000 rows with blank lines between are still within the cap.
    const over = await upload(teamId, ['email', ...lines].join('\n') + '\n');
    expect(over.status).toBe(413);
    expectErrorShape(over.body, 'too_many_rows');
    const error = (over.body as ErrorBody).error;
    expect(error.message).toContain('more than 10,000 rows');
    expect(error.message).toContain('/contacts/imports');
    expect(error.details).toEqual([{ path: 'file', message: 'At most 10000 data rows per request' }]);
    expect(await rows(teamId)).toEqual([]);

    const within = await imported(teamId, ['email', ...lines.slice(0, 10_000)].join('\n\n') + '\n');
    expect(within).toMatchObject({ created: 10_000, total: 10_000, skipped: [] });
    const [count] = await api.db('contacts').where({ team_id: teamId }).count<{ n: string }[]>('* as n');
    expect(Number(count?.n)).toBe(10_000);
  });

  it('holds the row cap for files with CR-only line ends (the parser splits records on a bare CR too)', async () => {
    const teamId = await newTeam();
    const lines = Array.from({ length: 10_001 }, (_, i) => `cr${i}@example.com`);
    const over = await upload(teamId, ['email', ...lines].join('\r') + '\r');
    expect(over.status).toBe(413);
    expectErrorShape(over.body, 'too_many_rows');
    expect(await rows(teamId)).toEqual([]);
  });

  it("answers 404 to another team's member", async () => {
    const teamId = await newTeam();
    const res = await upload(teamId, 'email\nx@example.com\n', {}, outsider);
    expect(res.status).toBe(404);
    expect(await rows(teamId)).toEqual([]);
  });

  it('runs overlapping imports at the same time without deadlocks or duplicate contacts', async () => {
    const teamId = await newTeam();
    const lines = Array.from({ length: 1500 }, (_, i) => `same${i}@example.com`);
    const forward = ['email,tags', ...lines.map((l) => `${l},fwd`)].join('\n');
    const backward = ['email,tags', ...[...lines].reverse().map((l) => `${l},back`)].join('\n');
    const results = await Promise.all([forward, backward, forward].map((csv) => upload(teamId, csv)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const created = results.reduce((n, r) => n + (r.body as ImportResult).created, 0);
    expect(created).toBe(1500);
    const counts = await api
      .db('contacts')
      .where({ team_id: teamId })
      .select(
        api.db.raw('count(*)::int as n'),
        api.db.raw("count(*) filter (where tags = '{back,fwd}')::int as both"),
      )
      .first<{ n: number; both: number }>();
    expect(counts).toEqual({ n: 1500, both: 1500 });
  });

  it('imports 10,000 rows sent in pieces of 1,000 (as the UI does)', async () => {
    const teamId = await newTeam();
    const header = 'email,first_name,last_name,tags';
    const lines = Array.from(
      { length: 10_000 },
      (_, i) => `reader${i}@example.com,First${i},Last${i},${i % 2 ? 'odd' : 'even'};bulk`,
    );
    const started = performance.now();
    let created = 0;
    for (let i = 0; i < lines.length; i += 1000) {
      const piece = [header, ...lines.slice(i, i + 1000)].join('\n');
      const result = await imported(teamId, piece, { lineOffset: String(i) });
      expect(result.skipped).toEqual([]);
      created += result.created;
    }
    const ms = performance.now() - started;
    console.log(
      `10,000-row import in 10 pieces: ${(ms / 1000).toFixed(2)} s (${Math.round(10_000 / (ms / 1000))} rows/s)`,
    );
    expect(created).toBe(10_000);
    const counts = await api
      .db('contacts')
      .where({ team_id: teamId })
      .select(
        api.db.raw('count(*)::int as n'),
        api.db.raw("count(*) filter (where tags @> '{odd,bulk}')::int as odd"),
      )
      .first<{ n: number; odd: number }>();
    expect(counts).toEqual({ n: 10_000, odd: 5_000 });
  });
});
