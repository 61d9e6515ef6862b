import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Application } from 'express';
import request from 'supertest';
import { createApp } from '../../api/app';
import { insertDeliveries } from '../../data/bonus-deliveries';
import type { Config } from '../../lib/config';
import { hashLinkToken, signLinkToken } from '../../lib/links';
import {
  bearer,
  createTeamWith,
  createTestApi,
  expectErrorShape,
  registerUser,
  type RegisteredUser,
  type TestApi,
} from '../support/api';
import { given } from '../support/fixtures';

interface Bonus {
  id: string;
  teamId: string;
  name: string;
  description: string | null;
  kind: 'url' | 'file';
  url: string | null;
  file: { name: string; contentType: string; size: number } | null;
  campaignIds: string[];
  deliveries: number;
  downloads: number;
}

/** The bonuses API on the real app and database: JSON and multipart creation, files on disk, rules, tenancy. */
describe('bonuses API', () => {
  let api: TestApi;
  let app: Application;
  let config: Config;
  let filesDir: string;
  let owner: RegisteredUser;
  let editor: RegisteredUser;
  let viewer: RegisteredUser;
  let outsider: RegisteredUser;
  let teamId: string;
  let campaignId: string;
  let otherCampaignId: string;
  const MAX_UPLOAD = 64 * 1024;

  beforeAll(async () => {
    api = await createTestApi();
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopflow-bonus-files-'));
    config = { ...api.config, bonuses: { ...api.config.bonuses, filesDir, maxUploadBytes: MAX_UPLOAD } };
    app = createApp({ ...api.deps, config });
    [owner, editor, viewer, outsider] = await Promise.all([
      registerUser(app, 'bonus-owner'),
      registerUser(app, 'bonus-editor'),
      registerUser(app, 'bonus-viewer'),
      registerUser(app, 'bonus-outsider'),
    ]);
    teamId = await createTeamWith(app, owner, [
      { user: editor, role: 'editor' },
      { user: viewer, role: 'viewer' },
    ]);
    [campaignId, otherCampaignId] = (await Promise.all(
      ['bonus_api_a', 'bonus_api_b'].map(
        async (tid) => (await given.campaignRow(api.db, { teamId, tid, name: tid })).id,
      ),
    )) as [string, string];
  });
  afterAll(async () => {
    await api?.close();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  const base = () => `/api/v1/teams/${teamId}/bonuses`;
  const as = (user: RegisteredUser) => bearer(user.accessToken);
  const storedFiles = () =>
    fs.existsSync(path.join(filesDir, teamId))
      ? fs.readdirSync(path.join(filesDir, teamId)).filter((d) => !d.startsWith('.'))
      : [];

  it('creates a link bonus from JSON, attached to a campaign, and reads it back', async () => {
    const res = await request(app)
      .post(base())
      .set(as(editor))
      .send({
        name: '  Keto recipes  ',
        description: '50 recipes',
        url: 'https://example.com/recipes.pdf',
        campaignIds: [campaignId],
      })
      .expect(201);
    const bonus = (res.body as { bonus: Bonus }).bonus;
    expect(bonus).toMatchObject({
      teamId,
      name: 'Keto recipes',
      description: '50 recipes',
      kind: 'url',
      url: 'https://example.com/recipes.pdf',
      file: null,
      campaignIds: [campaignId],
      deliveries: 0,
      downloads: 0,
    });
    const got = await request(app).get(`${base()}/${bonus.id}`).set(as(viewer)).expect(200);
    expect((got.body as { bonus: Bonus }).bonus).toEqual(bonus);
    const byCampaign = await request(app)
      .get(`${base()}?campaignId=${campaignId}`)
      .set(as(viewer))
      .expect(200);
    expect((byCampaign.body as { bonuses: Bonus[] }).bonuses.map((b) => b.id)).toContain(bonus.id);
    const other = await request(app)
      .get(`${base()}?campaignId=${otherCampaignId}`)
      .set(as(viewer))
      .expect(200);
    expect((other.body as { bonuses: Bonus[] }).bonuses.map((b) => b.id)).not.toContain(bonus.id);
  });

  it('answers 400 naming the field for a bad name or url, and 404 for a campaign of another team', async () => {
    const bad = await request(app)
      .post(base())
      .set(as(editor))
      .send({ name: '', url: 'ftp://x' })
      .expect(400);
    expectErrorShape(bad.body, 'validation_failed');
    const paths = (bad.body as { error: { details: { path: string }[] } }).error.details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'url']));

    const missingUrl = await request(app).post(base()).set(as(editor)).send({ name: 'No link' }).expect(400);
    expect((missingUrl.body as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe(
      'url',
    );

    const foreign = await request(app)
      .post(`/api/v1/teams/${outsider.personalTeamId}/bonuses`)
      .set(as(outsider))
      .send({ name: 'Sneaky', url: 'https://example.com/x', campaignIds: [campaignId] })
      .expect(404);
    expectErrorShape(foreign.body, 'campaign_not_found');
    expect((foreign.body as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe(
      'campaignIds.0',
    );
  });

  it('stores an uploaded file under <filesDir>/<team>/<bonus>/ with its original name and type; delete removes it', async () => {
    const content = Buffer.from('%PDF-1.4 bonus guide\n'.repeat(100));
    const res = await request(app)
      .post(base())
      .set(as(editor))
      .field('name', 'Starter guide')
      .field('description', 'The PDF guide')
      .field('campaignIds', campaignId)
      .attach('file', content, { filename: 'Starter guide (v2).pdf', contentType: 'application/pdf' })
      .expect(201);
    const bonus = (res.body as { bonus: Bonus }).bonus;
    expect(bonus).toMatchObject({
      name: 'Starter guide',
      kind: 'file',
      url: null,
      file: { name: 'Starter guide (v2).pdf', contentType: 'application/pdf', size: content.length },
      campaignIds: [campaignId],
    });
    const stored = path.join(filesDir, teamId, bonus.id, 'file');
    expect(fs.readFileSync(stored)).toEqual(content);
    // Nothing is left behind in the upload folder.
    expect(fs.readdirSync(path.join(filesDir, '.uploads'))).toEqual([]);

    // A file bonus has no link to change.
    const patch = await request(app)
      .patch(`${base()}/${bonus.id}`)
      .set(as(editor))
      .send({ url: 'https://example.com/other' })
      .expect(400);
    expect((patch.body as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe('url');

    await request(app).delete(`${base()}/${bonus.id}`).set(as(viewer)).expect(403);
    await request(app).delete(`${base()}/${bonus.id}`).set(as(editor)).expect(204);
    expect(fs.existsSync(path.join(filesDir, teamId, bonus.id))).toBe(false);
    await request(app).get(`${base()}/${bonus.id}`).set(as(viewer)).expect(404);
  });

  it('answers 413 naming `file` for an upload over the limit, and stores nothing', async () => {
    const before = storedFiles();
    const res = await request(app)
      .post(base())
      .set(as(editor))
      .field('name', 'Too big')
      .attach('file', Buffer.alloc(MAX_UPLOAD + 1, 1), 'big.bin');
    expect(res.status).toBe(413);
    expectErrorShape(res.body, 'payload_too_large');
    expect((res.body as { error: { details: { path: string }[] } }).error.details).toEqual([
      { path: 'file', message: expect.any(String) as unknown },
    ]);
    expect(storedFiles()).toEqual(before);
    expect(fs.readdirSync(path.join(filesDir, '.uploads'))).toEqual([]);
    const names = (
      (await request(app).get(base()).set(as(viewer)).expect(200)).body as { bonuses: Bonus[] }
    ).bonuses.map((b) => b.name);
    expect(names).not.toContain('Too big');
  });

  it('answers 400 for a malformed multipart body', async () => {
    const res = await request(app)
      .post(base())
      .set(as(editor))
      .set('Content-Type', 'multipart/form-data; boundary=XYZ')
      .send('--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhalf a file');
    expect(res.status).toBe(400);
    expect((res.body as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe('file');
    expect(fs.readdirSync(path.join(filesDir, '.uploads'))).toEqual([]);
  });

  it('answers 400 for a multipart request without a file', async () => {
    const res = await request(app).post(base()).set(as(editor)).field('name', 'Forgot the file').expect(400);
    expect((res.body as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe('file');
  });

  it('POST /bonuses (teamId in the body): editors create, viewers 403, outsiders and unknown teams 404', async () => {
    const created = await request(app)
      .post('/api/v1/bonuses')
      .set(as(editor))
      .send({ teamId, name: 'Alias bonus', url: 'https://example.com/alias', campaignIds: [otherCampaignId] })
      .expect(201);
    expect((created.body as { bonus: Bonus }).bonus).toMatchObject({
      teamId,
      name: 'Alias bonus',
      campaignIds: [otherCampaignId],
    });

    const uploaded = await request(app)
      .post('/api/v1/bonuses')
      .set(as(owner))
      .field('teamId', teamId)
      .field('name', 'Alias file')
      .attach('file', Buffer.from('hello'), { filename: 'hello.txt', contentType: 'text/plain' })
      .expect(201);
    expect((uploaded.body as { bonus: Bonus }).bonus.file).toEqual({
      name: 'hello.txt',
      contentType: 'text/plain',
      size: 5,
    });

    const viewerTry = await request(app)
      .post('/api/v1/bonuses')
      .set(as(viewer))
      .send({ teamId, name: 'Nope', url: 'https://example.com/x' });
    expect(viewerTry.status).toBe(403);
    for (const [user, team] of [
      [outsider, teamId],
      [owner, '00000000-0000-4000-8000-000000000000'],
    ] as const) {
      const res = await request(app)
        .post('/api/v1/bonuses')
        .set(as(user))
        .send({ teamId: team, name: 'Nope', url: 'https://example.com/x' });
      expect(res.status).toBe(404);
      expectErrorShape(res.body, 'team_not_found');
    }
    const outsiderUpload = await request(app)
      .post('/api/v1/bonuses')
      .set(as(outsider))
      .field('teamId', teamId)
      .field('name', 'Nope')
      .attach('file', Buffer.from('x'), 'x.txt');
    expect(outsiderUpload.status).toBe(404);
    expect(fs.readdirSync(path.join(filesDir, '.uploads'))).toEqual([]);
    await request(app)
      .post('/api/v1/bonuses')
      .send({ teamId, name: 'Anonymous', url: 'https://example.com/x' })
      .expect(401);
    const missingTeam = await request(app)
      .post('/api/v1/bonuses')
      .set(as(editor))
      .send({ name: 'No team', url: 'https://example.com/x' })
      .expect(400);
    expect((missingTeam.body as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe(
      'teamId',
    );
  });

  it('keeps a non-ASCII file name: stored and served back with an RFC 6266 Content-Disposition', async () => {
    const name = 'résumé 😀 (v2).pdf';
    const uploaded = await request(app)
      .post(base())
      .set(as(editor))
      .field('name', 'Résumé')
      .field('campaignIds', campaignId)
      .attach('file', Buffer.from('%PDF-1.4'), { filename: name, contentType: 'application/pdf' })
      .expect(201);
    const bonus = (uploaded.body as { bonus: Bonus }).bonus;
    expect(bonus.file?.name).toBe(name);
    const row = await api.db('bonuses').where({ id: bonus.id }).first<{ file_name: string }>('file_name');
    expect(row.file_name).toBe(name);

    // A delivery of it, as the delivery workflow would record, and its download link.
    const deliveryId = randomUUID();
    const token = signLinkToken(config.links.secret, 'bonus', { id: deliveryId });
    await insertDeliveries(api.db, [
      {
        id: deliveryId,
        teamId,
        bonusId: bonus.id,
        campaignId,
        contactId: null,
        receipt: `NAME${Date.now()}`,
        itemNo: '1',
        buyerEmail: 'buyer@example.com',
        tokenHash: hashLinkToken(token),
        expiresAt: new Date(Date.now() + 3600_000),
      },
    ]);
    const download = await request(app).get(`/b/${token}`).expect(200);
    const disposition = String(download.headers['content-disposition']);
    expect(disposition).toBe(
      `attachment; filename="resume _ (v2).pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%F0%9F%98%80%20%28v2%29.pdf`,
    );
    const encoded = /filename\*=UTF-8''(\S+)$/.exec(disposition)?.[1];
    expect(decodeURIComponent(encoded!)).toBe(name);
  });

  it('refuses a file name longer than 200 characters with 400 naming `file`, and stores nothing', async () => {
    const res = await request(app)
      .post(base())
      .set(as(editor))
      .field('name', 'Long name')
      .attach('file', Buffer.from('x'), {
        filename: `${'é'.repeat(197)}.pdf`,
        contentType: 'application/pdf',
      })
      .expect(400);
    expect((res.body as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe('file');
    expect(fs.readdirSync(path.join(filesDir, '.uploads'))).toEqual([]);
    // 200 characters exactly (here 397 bytes of UTF-8) is fine.
    const ok = await request(app)
      .post(base())
      .set(as(editor))
      .field('name', 'Just fits')
      .attach('file', Buffer.from('x'), {
        filename: `${'é'.repeat(196)}.pdf`,
        contentType: 'application/pdf',
      })
      .expect(201);
    expect((ok.body as { bonus: Bonus }).bonus.file?.name).toHaveLength(200);
  });

  it('POST /bonuses multipart: membership is checked before the file is read, so an outsider stores nothing', async () => {
    const uploads = path.join(filesDir, '.uploads');
    fs.mkdirSync(uploads, { recursive: true });
    const created: string[] = [];
    const watcher = fs.watch(uploads, (_event, file) => {
      if (file) created.push(file);
    });
    try {
      // Larger than the upload limit: were it read, the answer would be 413, not 404.
      const big = Buffer.alloc(MAX_UPLOAD * 4, 0x61);
      const outsiderUpload = await request(app)
        .post('/api/v1/bonuses')
        .set(as(outsider))
        .field('teamId', teamId)
        .field('name', 'Nope')
        .attach('file', big, 'big.bin');
      expect(outsiderUpload.status).toBe(404);
      expectErrorShape(outsiderUpload.body, 'team_not_found');
      const viewerUpload = await request(app)
        .post('/api/v1/bonuses')
        .set(as(viewer))
        .field('teamId', teamId)
        .field('name', 'Nope')
        .attach('file', big, 'big.bin');
      expect(viewerUpload.status).toBe(403);
      // The file part before teamId: the team is not known yet, so the request is refused unread.
      const fileFirst = await request(app)
        .post('/api/v1/bonuses')
        .set(as(editor))
        .attach('file', Buffer.from('x'), 'x.txt')
        .field('teamId', teamId)
        .field('name', 'Too early');
      expect(fileFirst.status).toBe(400);
      expect((fileFirst.body as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe(
        'teamId',
      );
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      watcher.close();
    }
    expect(created).toEqual([]);
    expect(fs.readdirSync(uploads)).toEqual([]);
  });

  it('sets the campaigns of a bonus (replacing them), updates and lists deliveries', async () => {
    const created = await request(app)
      .post(base())
      .set(as(editor))
      .send({ name: 'Checklist', url: 'https://example.com/checklist' })
      .expect(201);
    const id = (created.body as { bonus: Bonus }).bonus.id;
    const set = await request(app)
      .put(`${base()}/${id}/campaigns`)
      .set(as(editor))
      .send({ campaignIds: [campaignId, otherCampaignId] })
      .expect(200);
    expect([...(set.body as { bonus: Bonus }).bonus.campaignIds].sort()).toEqual(
      [campaignId, otherCampaignId].sort(),
    );
    const replaced = await request(app)
      .put(`${base()}/${id}/campaigns`)
      .set(as(editor))
      .send({ campaignIds: [otherCampaignId] })
      .expect(200);
    expect((replaced.body as { bonus: Bonus }).bonus.campaignIds).toEqual([otherCampaignId]);
    await request(app)
      .put(`${base()}/${id}/campaigns`)
      .set(as(editor))
      .send({ campaignIds: ['00000000-0000-4000-8000-000000000000'] })
      .expect(404);

    const patched = await request(app)
      .patch(`${base()}/${id}`)
      .set(as(editor))
      .send({ name: 'Checklist v2', description: null, url: 'https://example.com/checklist2' })
      .expect(200);
    expect((patched.body as { bonus: Bonus }).bonus).toMatchObject({
      name: 'Checklist v2',
      description: null,
      url: 'https://example.com/checklist2',
    });

    const deliveries = await request(app)
      .get(`${base()}/${id}/deliveries?receipt=NOPE`)
      .set(as(viewer))
      .expect(200);
    expect(deliveries.body).toEqual({ deliveries: [] });
    await request(app)
      .get(`/api/v1/teams/${teamId}/bonus-deliveries?email=nobody@example.com`)
      .set(as(viewer))
      .expect(200);
  });

  it('maps a vendor (and item) to a campaign; one campaign per vendor and item in a team', async () => {
    const rules = `/api/v1/teams/${teamId}/campaigns/${campaignId}/bonus-rules`;
    const added = await request(app).post(rules).set(as(editor)).send({ vendor: 'RuleVend1' }).expect(201);
    const rule = (added.body as { rule: { id: string; vendor: string; itemNo: string | null } }).rule;
    expect(rule).toMatchObject({ vendor: 'rulevend1', itemNo: null, campaignId });
    await request(app).post(rules).set(as(editor)).send({ vendor: 'rulevend1', itemNo: '3' }).expect(201);
    const clash = await request(app)
      .post(`/api/v1/teams/${teamId}/campaigns/${otherCampaignId}/bonus-rules`)
      .set(as(editor))
      .send({ vendor: 'RULEVEND1' })
      .expect(409);
    expectErrorShape(clash.body, 'bonus_rule_exists');
    const bad = await request(app).post(rules).set(as(editor)).send({ vendor: 'not a vendor!' }).expect(400);
    expect((bad.body as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe('vendor');

    const listed = await request(app).get(rules).set(as(viewer)).expect(200);
    expect((listed.body as { rules: unknown[] }).rules).toHaveLength(2);
    await request(app).delete(`${rules}/${rule.id}`).set(as(viewer)).expect(403);
    await request(app).delete(`${rules}/${rule.id}`).set(as(editor)).expect(204);
    await request(app).delete(`${rules}/${rule.id}`).set(as(editor)).expect(404);
    // Another team's campaign is not found, even for its own rules path.
    await request(app)
      .get(`/api/v1/teams/${outsider.personalTeamId}/campaigns/${campaignId}/bonus-rules`)
      .set(as(outsider))
      .expect(404);
  });

  it("hides a team's bonuses from outsiders (404) and lets viewers read but not write", async () => {
    const created = await request(app)
      .post(base())
      .set(as(owner))
      .send({ name: 'Private', url: 'https://example.com/p' })
      .expect(201);
    const id = (created.body as { bonus: Bonus }).bonus.id;
    await request(app).get(base()).set(as(outsider)).expect(404);
    await request(app).get(`${base()}/${id}`).set(as(outsider)).expect(404);
    await request(app)
      .post(base())
      .set(as(outsider))
      .attach('file', Buffer.from('x'), 'x.txt')
      .field('name', 'x')
      .expect(404);
    // Their own team cannot reach our bonus either.
    await request(app)
      .get(`/api/v1/teams/${outsider.personalTeamId}/bonuses/${id}`)
      .set(as(outsider))
      .expect(404);
    await request(app)
      .post(base())
      .set(as(viewer))
      .send({ name: 'V', url: 'https://example.com/v' })
      .expect(403);
  });
});
