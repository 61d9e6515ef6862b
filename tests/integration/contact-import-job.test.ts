import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { asyncLocalStorage, Context } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import request from 'supertest';
import { createContactImportActivities } from '../../activities/contact-import';
import {
  finishContactImport,
  insertContactImport,
  markContactImportRead,
  markContactImportReading,
} from '../../data/contact-imports';
import { startContactImport } from '../../temporal/starts';
import {
  CONTACT_IMPORT_FILE_INVALID,
  contactImportProgressQuery,
  contactImportWorkflowId,
} from '../../workflows/contracts/contact-import';
import {
  bearer,
  createTeamWith,
  createTestApi,
  expectErrorShape,
  registerUser,
  type RegisteredUser,
  type TestApi,
} from '../support/api';
import { startTestWorkers, type TestWorkers } from '../support/worker';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

interface ImportJob {
  id: string;
  status: string;
  tags: string[];
  total: number | null;
  rowsDone: number;
  piecesTotal: number | null;
  piecesDone: number;
  created: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  skippedCount: number;
  skipped: { line: number; field: string; message: string }[];
  error: { message: string; details: { path: string; message: string }[] } | null;
  workflowId: string;
}

/** A CSV of `rows` data rows: reader<i>@<domain>, every 1000th row a bad address, every 500th a repeat. */
function bigCsv(rows: number, domain: string): { csv: string; bad: number[]; repeats: number } {
  const lines = ['email,first_name,last_name,tags'];
  const bad: number[] = [];
  let repeats = 0;
  for (let i = 0; i < rows; i++) {
    if (i % 1000 === 999) {
      lines.push(`not-an-address-${i},Bad,Row,`);
      bad.push(i + 2);
    } else if (i % 500 === 499) {
      lines.push(`reader${i - 1}@${domain},,,again`);
      repeats++;
    } else lines.push(`reader${i}@${domain},First${i},Last${i},${i % 2 ? 'odd' : 'even'}`);
  }
  return { csv: lines.join('\r\n') + '\r\n', bad, repeats };
}

describe('contact import job', () => {
  jest.setTimeout(240_000);
  let api: TestApi;
  let owner: RegisteredUser;
  let editor: RegisteredUser;
  let outsider: RegisteredUser;
  let teamId: string;

  beforeAll(async () => {
    api = await createTestApi({ temporal: true });
    owner = await registerUser(api.app, 'import-job-owner');
    editor = await registerUser(api.app, 'import-job-editor');
    outsider = await registerUser(api.app, 'import-job-outsider');
    teamId = await createTeamWith(api.app, owner, [{ user: editor, role: 'editor' }], 'Import job team');
  });
  afterAll(async () => {
    await api?.close();
  });

  const url = (path = '', team = teamId) => `/api/v1/teams/${team}/contacts/imports${path}`;
  const start = (csv: string, query: Record<string, string> = {}, user = editor, team = teamId) =>
    request(api.app)
      .post(url('', team))
      .query(query)
      .set(bearer(user.accessToken))
      .set('Content-Type', 'text/csv')
      .send(csv);
  async function get(id: string, user = editor, team = teamId): Promise<ImportJob> {
    const res = await request(api.app)
      .get(url(`/${id}`, team))
      .set(bearer(user.accessToken));
    if (res.status !== 200) throw new Error(`GET import: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { import: ImportJob }).import;
  }
  /** Polls GET until the import ends, keeping every rowsDone it saw. */
  async function untilEnded(id: string, timeoutMs = 180_000): Promise<{ job: ImportJob; seen: number[] }> {
    const seen: number[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await get(id);
      if (seen.at(-1) !== job.rowsDone) seen.push(job.rowsDone);
      if (job.status === 'finished' || job.status === 'failed') return { job, seen };
      if (Date.now() > deadline) throw new Error(`import ${id} still ${job.status}: ${JSON.stringify(job)}`);
      await sleep(50);
    }
  }
  const contactsOf = async (domain: string) =>
    Number(
      (
        await api
          .db('contacts')
          .where({ team_id: teamId })
          .whereLike('email', `%@${domain}`)
          .count<{ n: string }[]>('* as n')
      )[0]?.n,
    );

  describe('with workers in this process', () => {
    let workers: TestWorkers;
    beforeAll(async () => {
      workers = await startTestWorkers({ db: api.db });
    });
    afterAll(async () => {
      await workers?.stop();
    });

    it('imports 25,000 rows piece by piece with visible progress, the right counts and every contact', async () => {
      const { csv, bad, repeats } = bigCsv(25_000, 'job25k.example');
      // One contact exists already and gains the query tag: updated, not created.
      await request(api.app)
        .post(`/api/v1/teams/${teamId}/contacts`)
        .set(bearer(editor.accessToken))
        .send({ email: 'reader0@job25k.example', tags: ['old'] })
        .expect(201);

      const started = performance.now();
      const res = await start(csv, { tags: 'spring' });
      expect(res.status).toBe(202);
      const queued = (res.body as { import: ImportJob }).import;
      expect(queued).toMatchObject({ status: 'queued', rowsDone: 0, total: null, tags: ['spring'] });
      expect(queued.workflowId).toBe(contactImportWorkflowId(queued.id));

      const { job, seen } = await untilEnded(queued.id);
      const seconds = (performance.now() - started) / 1000;
      console.log(`25,000-row import job: ${seconds.toFixed(2)} s, rowsDone seen: ${seen.join(' ')}`);

      const distinct = 25_000 - bad.length - repeats;
      expect(job).toMatchObject({
        status: 'finished',
        total: 25_000,
        rowsDone: 25_000,
        piecesTotal: Math.ceil(distinct / 1000),
        piecesDone: Math.ceil(distinct / 1000),
        created: distinct - 1,
        updated: 1,
        unchanged: 0,
        duplicates: repeats,
        skippedCount: bad.length,
        error: null,
      });
      expect(job.skipped.map((s) => [s.line, s.field])).toEqual(bad.map((line) => [line, 'email']));
      // Progress was visible on the way: more than the start and the end, never going back.
      expect(seen.length).toBeGreaterThan(3);
      expect(seen.some((n) => n > 0 && n < 25_000)).toBe(true);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);

      expect(await contactsOf('job25k.example')).toBe(distinct);
      const sample = await api
        .db('contacts')
        .where({ team_id: teamId })
        .whereIn('email', [
          'reader0@job25k.example',
          'reader498@job25k.example',
          'reader24997@job25k.example',
        ])
        .orderBy('email')
        .select<{ email: string; first_name: string; tags: string[]; source: string }[]>(
          'email',
          'first_name',
          'tags',
          'source',
        );
      expect(sample).toEqual([
        // Existed before (added by hand): names filled, tags added, source kept.
        {
          email: 'reader0@job25k.example',
          first_name: 'First0',
          tags: ['even', 'old', 'spring'],
          source: 'manual',
        },
        {
          email: 'reader24997@job25k.example',
          first_name: 'First24997',
          tags: ['odd', 'spring'],
          source: 'import',
        },
        // Its repeat on line 501 merged its tag in.
        {
          email: 'reader498@job25k.example',
          first_name: 'First498',
          tags: ['again', 'even', 'spring'],
          source: 'import',
        },
      ]);

      // The workflow keeps the same progress in its state, for ops and the query.
      const handle = api.deps.temporal!.client.workflow.getHandle(job.workflowId);
      expect(await handle.query(contactImportProgressQuery)).toEqual({
        status: 'finished',
        total: 25_000,
        rowsDone: 25_000,
        piecesTotal: job.piecesTotal,
        piecesDone: job.piecesDone,
        created: job.created,
        updated: 1,
        unchanged: 0,
        duplicates: repeats,
        skipped: bad.length,
      });

      const list = await request(api.app).get(url()).set(bearer(editor.accessToken));
      expect(list.status).toBe(200);
      expect((list.body as { imports: ImportJob[] }).imports[0]).toMatchObject({
        id: job.id,
        status: 'finished',
      });
    });

    it('fails a file without an email column with the field named, stored and shown by GET, never retried', async () => {
      const res = await start('name,phone\nAda,123\n');
      expect(res.status).toBe(202);
      const { id, workflowId } = (res.body as { import: ImportJob }).import;
      const { job } = await untilEnded(id, 60_000);
      expect(job).toMatchObject({
        status: 'failed',
        rowsDone: 0,
        created: 0,
        error: {
          message: 'The file has no email column',
          details: [{ path: 'email', message: expect.stringContaining('"name", "phone"') as unknown }],
        },
      });
      const failure = await api.deps
        .temporal!.client.workflow.getHandle(workflowId)
        .result()
        .then(
          () => null,
          (err: unknown) => err,
        );
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      const cause = (failure as WorkflowFailedError).cause?.cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      expect((cause as ApplicationFailure).type).toBe(CONTACT_IMPORT_FILE_INVALID);
      expect((cause as ApplicationFailure).nonRetryable).toBe(true);

      // An empty file is refused at once: there is nothing to store.
      const empty = await start('  \n');
      expect(empty.status).toBe(400);
      expect((empty.body as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe('file');

      // A NUL in a cell names the cell.
      const nul = await start('email,first_name\nnul@example.com,A\u0000da\n');
      const { job: nulJob } = await untilEnded((nul.body as { import: ImportJob }).import.id, 60_000);
      expect(nulJob.status).toBe('failed');
      expect(nulJob.error?.details).toEqual([
        { path: 'line 2, column "first_name"', message: expect.stringContaining('NUL') as unknown },
      ]);
      expect(await api.db('contacts').where({ team_id: teamId, email: 'nul@example.com' })).toEqual([]);
    });

    it("answers 404 to another team's member, and for an import of another team", async () => {
      const res = await start('email\nmine@team.example\n');
      const { id } = (res.body as { import: ImportJob }).import;
      await untilEnded(id, 60_000);

      const outsiderGet = await request(api.app)
        .get(url(`/${id}`))
        .set(bearer(outsider.accessToken));
      expect(outsiderGet.status).toBe(404);
      const outsiderPost = await start('email\nx@outsider.example\n', {}, outsider);
      expect(outsiderPost.status).toBe(404);
      // The outsider's own team does not have this import either.
      const ownTeam = await request(api.app)
        .get(url(`/${id}`, outsider.personalTeamId))
        .set(bearer(outsider.accessToken));
      expect(ownTeam.status).toBe(404);
      expectErrorShape(ownTeam.body, 'contact_import_not_found');
      const ownList = await request(api.app)
        .get(url('', outsider.personalTeamId))
        .set(bearer(outsider.accessToken));
      expect((ownList.body as { imports: ImportJob[] }).imports).toEqual([]);
    });

    it('continues as new every few pieces and carries its progress across runs', async () => {
      const { csv, bad, repeats } = bigCsv(4500, 'continued.example');
      const job = await insertContactImport(api.db, {
        id: randomUUID(),
        teamId,
        createdBy: editor.id,
        csv: Buffer.from(csv),
        tags: [],
      });
      const client = api.deps.temporal!.client;
      const handle = await startContactImport(client, {
        input: { teamId, importId: job.id, piecesPerRun: 2 },
        userId: editor.id,
        fileBytes: csv.length,
      });
      const distinct = 4500 - bad.length - repeats;
      const expected = {
        status: 'finished',
        total: 4500,
        rowsDone: 4500,
        piecesTotal: 5,
        piecesDone: 5,
        created: distinct,
        updated: 0,
        unchanged: 0,
        duplicates: repeats,
        skipped: bad.length,
      };
      expect(await handle.result()).toEqual(expected);
      const first = await client.workflow.getHandle(job.workflowId, handle.firstExecutionRunId).describe();
      expect(first.status.name).toBe('CONTINUED_AS_NEW');
      expect(await get(job.id)).toMatchObject({ ...expected, skipped: expect.any(Array) as unknown });
      expect(await contactsOf('continued.example')).toBe(distinct);
    });

    it('applies a piece once: the piece activity run twice, even at the same time, neither doubles counts nor loses rows', async () => {
      const { csv } = bigCsv(2500, 'twice.example');
      const job = await insertContactImport(api.db, {
        id: randomUUID(),
        teamId,
        createdBy: editor.id,
        csv: Buffer.from(csv),
        tags: [],
      });
      const activities = createContactImportActivities({ db: api.db });
      const ref = { teamId, importId: job.id };
      const read = await activities.readContactImport(ref);
      // Reading again (a retried attempt) stores nothing new.
      expect(await activities.readContactImport(ref)).toEqual(read);
      expect(read).toMatchObject({ status: 'importing', total: 2500, piecesTotal: 3, piecesDone: 0 });

      const first = await activities.importContactPiece({ ...ref, piece: 0 });
      expect(first).toMatchObject({ piecesDone: 1, created: 1000 });
      expect(await activities.importContactPiece({ ...ref, piece: 0 })).toEqual(first);
      const [a, b] = await Promise.all([
        activities.importContactPiece({ ...ref, piece: 1 }),
        activities.importContactPiece({ ...ref, piece: 1 }),
      ]);
      expect(a.piecesDone).toBe(2);
      expect(b).toEqual(a);
      const last = await activities.importContactPiece({ ...ref, piece: 2 });
      expect(last).toMatchObject({ piecesDone: 3, rowsDone: 2500, created: 2495 });
      expect(await contactsOf('twice.example')).toBe(last.created);
      // Ended, so the team can start its next import.
      await activities.finishContactImport({ ...ref, status: 'finished' });
    });

    /** A team of its own (one running import per team), with the editor in it. */
    const ownTeam = (name: string) =>
      createTeamWith(api.app, owner, [{ user: editor, role: 'editor' }], name);
    const insertJob = (team: string, csv: string) =>
      insertContactImport(api.db, {
        id: randomUUID(),
        teamId: team,
        createdBy: editor.id,
        csv: Buffer.from(csv),
        tags: [],
      });
    const status = async (id: string) =>
      api
        .db('contact_imports')
        .where({ id })
        .first<{ status: string; pieces_total: number | null } | undefined>('status', 'pieces_total');

    it('refuses a second import (409 import_running, naming the running one) while the team has one queued, reading or importing', async () => {
      const team = await ownTeam('One import at a time');
      const running = await insertJob(team, 'email\nfirst@running.example\n');
      for (const state of ['queued', 'reading', 'importing']) {
        await api.db('contact_imports').where({ id: running.id }).update({ status: state });
        const res = await start('email\nsecond@running.example\n', {}, editor, team);
        expect(res.status).toBe(409);
        expectErrorShape(res.body, 'import_running');
        const message = (res.body as { error: { message: string } }).error.message;
        expect(message).toContain(running.id);
        expect(message).toContain(state);
      }
      // Two at the same time: the database holds the rule too (the partial unique index).
      await expect(insertJob(team, 'email\nthird@running.example\n')).rejects.toMatchObject({
        code: '23505',
      });
      const jobs = await api.db('contact_imports').where({ team_id: team }).count<{ n: string }[]>('* as n');
      expect(Number(jobs[0]?.n)).toBe(1);

      await finishContactImport(api.db, team, running.id, { status: 'failed' });
      const next = await start('email\nsecond@running.example\n', {}, editor, team);
      expect(next.status).toBe(202);
      const nextId = (next.body as { import: ImportJob }).import.id;
      const deadline = Date.now() + 60_000;
      while ((await get(nextId, editor, team)).status !== 'finished' && Date.now() < deadline)
        await sleep(50);
      expect(await get(nextId, editor, team)).toMatchObject({ status: 'finished', created: 1 });
    });

    it('drops the stored file once it is read, and keeps the first 1,000 skipped rows with the count of all', async () => {
      const team = await ownTeam('Bounded import');
      const lines = ['email'];
      for (let i = 0; i < 1500; i++) lines.push(`bad-address-${i}`);
      for (let i = 0; i < 10; i++) lines.push(`good${i}@bounded.example`);
      const job = await insertJob(team, lines.join('\n') + '\n');
      const activities = createContactImportActivities({ db: api.db });
      const read = await activities.readContactImport({ teamId: team, importId: job.id });
      expect(read).toMatchObject({ status: 'importing', total: 1510, skipped: 1500, piecesTotal: 1 });
      const row = await api
        .db('contact_imports')
        .where({ id: job.id })
        .first<{ csv: Buffer | null; skipped: unknown[]; read_skipped: number }>(
          'csv',
          'skipped',
          'read_skipped',
        );
      expect(row).toMatchObject({ csv: null, read_skipped: 1500 });
      expect(row?.skipped).toHaveLength(1000);
      // A retried reading step finds the file read: nothing is read again.
      expect(await activities.readContactImport({ teamId: team, importId: job.id })).toEqual(read);

      await activities.importContactPiece({ teamId: team, importId: job.id, piece: 0 });
      await activities.finishContactImport({ teamId: team, importId: job.id, status: 'finished' });
      const res = await request(api.app)
        .get(url(`/${job.id}`, team))
        .set(bearer(editor.accessToken));
      const shown = (res.body as { import: ImportJob }).import;
      expect(shown).toMatchObject({ status: 'finished', created: 10, skippedCount: 1500, rowsDone: 1510 });
      expect(shown.skipped).toHaveLength(1000);
      expect(shown.skipped[0]).toMatchObject({ line: 2, field: 'email' });
      expect(shown.skipped.at(-1)).toMatchObject({ line: 1001 });
    });

    it('never brings an ended import back: the read file is not recorded on a failed (or cancelled) import', async () => {
      const team = await ownTeam('No resurrection');
      const activities = createContactImportActivities({ db: api.db });
      // Failed while its reader was still at work (the workflow was cancelled): the reader's end changes nothing.
      const reading = await insertJob(team, 'email\nlate@ended.example\n');
      await markContactImportReading(api.db, team, reading.id);
      await finishContactImport(api.db, team, reading.id, { status: 'failed' });
      await markContactImportRead(api.db, team, reading.id, {
        total: 1,
        duplicates: 0,
        skipped: [],
        pieces: 1,
      });
      expect(await status(reading.id)).toMatchObject({ status: 'failed', pieces_total: null });
      // A reading step that starts after the import ended does not read it.
      const ended = await insertJob(team, 'email\nlater@ended.example\n');
      await finishContactImport(api.db, team, ended.id, { status: 'failed' });
      expect(await activities.readContactImport({ teamId: team, importId: ended.id })).toMatchObject({
        status: 'failed',
        piecesTotal: null,
      });
      expect(await api.db('contact_import_pieces').whereIn('import_id', [reading.id, ended.id])).toEqual([]);
    });

    it('stops reading the file when the reading activity is cancelled (delivered with a heartbeat)', async () => {
      const team = await ownTeam('Cancelled reader');
      const { csv } = bigCsv(5000, 'cancelled.example');
      const job = await insertJob(team, csv);
      const activities = createContactImportActivities({ db: api.db });
      // An activity context as the worker builds it; its first heartbeat's answer says "cancelled".
      const controller = new AbortController();
      const cancelled = new Promise<never>((_, reject) => {
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error));
      });
      cancelled.catch(() => undefined);
      const heartbeat = () => controller.abort(new CancelledFailure('CANCELLED'));
      const ContextOf = Context as unknown as new (...args: unknown[]) => Context;
      const ctx = new ContextOf({}, cancelled, controller.signal, heartbeat, undefined, console, {}, {});
      const outcome = await asyncLocalStorage
        .run(ctx, () => activities.readContactImport({ teamId: team, importId: job.id }))
        .then(
          () => null,
          (err: unknown) => err,
        );
      expect(outcome).toBeInstanceOf(CancelledFailure);
      // Stopped before storing pieces or recording the file as read.
      expect(await status(job.id)).toMatchObject({ status: 'reading', pieces_total: null });
      expect(await api.db('contact_import_pieces').where({ import_id: job.id })).toEqual([]);
      await finishContactImport(api.db, team, job.id, { status: 'failed' });
    });

    it('fails an import started with piecesPerRun below 1 instead of continuing as new forever', async () => {
      const team = await ownTeam('Pieces per run');
      const job = await insertJob(team, 'email\nzero@perrun.example\n');
      const handle = await startContactImport(api.deps.temporal!.client, {
        input: { teamId: team, importId: job.id, piecesPerRun: 0 },
        userId: editor.id,
        fileBytes: 30,
      });
      const failure = await handle.result().then(
        () => null,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      expect((failure as WorkflowFailedError).cause).toMatchObject({ type: 'InvalidContactImportInput' });
      expect(await status(job.id)).toMatchObject({ status: 'failed' });
    });

    it('stores a piece the database refuses as a plain message with the code and constraint, never the contacts', async () => {
      const team = await ownTeam('Refused piece');
      const lines = ['email,first_name'];
      for (let i = 0; i < 1200; i++) lines.push(`secret${i}@leak.example,Secretname${i}`);
      const job = await insertJob(team, lines.join('\n') + '\n');
      const activities = createContactImportActivities({ db: api.db });
      const read = await activities.readContactImport({ teamId: team, importId: job.id });
      // A stored piece the contacts table refuses (contacts_email_check: addresses are stored lower case).
      await api.db.raw(
        `UPDATE contact_import_pieces SET contacts = jsonb_set(contacts, '{0,email}', '"Shouting@Leak.example"')
          WHERE import_id = ? AND piece = 0`,
        [job.id],
      );
      const direct = await activities.importContactPiece({ teamId: team, importId: job.id, piece: 0 }).then(
        () => null,
        (err: unknown) => err,
      );
      expect(direct).toBeInstanceOf(ApplicationFailure);
      expect((direct as ApplicationFailure).message).toBe(
        'The database refused piece 1 of the import (PostgreSQL error 23514, constraint contacts_email_check)',
      );
      expect((direct as ApplicationFailure).nonRetryable).toBe(true);

      const handle = await startContactImport(api.deps.temporal!.client, {
        input: { teamId: team, importId: job.id, nextPiece: 0, progress: read },
        userId: editor.id,
        fileBytes: job.fileBytes,
      });
      await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
      const stored = await api
        .db('contact_imports')
        .where({ id: job.id })
        .first<{ status: string; error: unknown }>();
      expect(stored?.status).toBe('failed');
      expect(stored?.error).toEqual({
        message:
          'The database refused piece 1 of the import (PostgreSQL error 23514, constraint contacts_email_check)',
        details: [],
      });
      const history = JSON.stringify(await handle.fetchHistory());
      expect(history).not.toMatch(/leak\.example|Secretname|insert into/i);
      expect(history).toContain('contacts_email_check');
    });
  });

  describe('with a worker process that is killed mid-import', () => {
    let worker: WorkerProcess | undefined;
    afterAll(async () => {
      await worker?.kill();
    });

    it('resumes after SIGKILL and ends with every row imported exactly once', async () => {
      worker = await startWorkerProcess({});
      const { csv, bad, repeats } = bigCsv(60_000, 'killed.example');
      const res = await start(csv);
      expect(res.status).toBe(202);
      const { id } = (res.body as { import: ImportJob }).import;
      // Kill it once a few pieces are in, while later ones are being written.
      for (let job = await get(id); job.piecesDone < 3; job = await get(id)) {
        if (job.status === 'failed' || job.status === 'finished')
          throw new Error(`ended early: ${job.status}`);
        await sleep(20);
      }
      await worker.kill();
      const atKill = await get(id);
      expect(atKill.status).toBe('importing');
      expect(atKill.piecesDone).toBeLessThan(atKill.piecesTotal!);

      worker = await startWorkerProcess({});
      const { job } = await untilEnded(id);
      const distinct = 60_000 - bad.length - repeats;
      expect(job).toMatchObject({
        status: 'finished',
        rowsDone: 60_000,
        created: distinct,
        updated: 0,
        unchanged: 0,
        piecesDone: job.piecesTotal,
      });
      expect(await contactsOf('killed.example')).toBe(distinct);
    });
  });
});
