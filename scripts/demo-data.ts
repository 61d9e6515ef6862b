/**
 * Fills a team with demo campaigns and 90 days of clicks and sales, so the dashboard has figures and charts at
 * once (see the tour in README.md). On the embedded database (no DATABASE_URL) Hopflow must be stopped first: PGlite
 * is opened by one process at a time; while it runs, use the dashboard's "Load demo data" instead. With
 * DATABASE_URL it works alongside a running platform.
 *
 *   ./hopflow demo-data [--team <id> | --email <user's email>] [--seed <n>]
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { createDemoDataService } from '../api/services/demo-data';
import { createDb, migrateLatest } from '../db/connection';
import { insertMember, listOwnersAndAdmins } from '../data/members';
import { findTeam, insertTeam, listTeamsForUser } from '../data/teams';
import { findUserByEmail, insertUser } from '../data/users';
import { loadConfigOrExit, type Config } from '../lib/config';
import { hashPassword } from '../lib/passwords';

const usage = `usage: ./hopflow demo-data [--team <team id> | --email <user's email>] [--seed <number>]

Without --team or --email: the first team (or a new demo account when there is none).
A team that already has clicks is refused, so a second run never doubles the figures.`;

const say = (line: string) => process.stdout.write(`[demo-data] ${line}\n`);

class Refusal extends Error {}

/**
 * Whether a running Hopflow holds the embedded database: PGlite keeps a postmaster.pid in its folder while open,
 * and the API answers. (A pid file alone is what a crash leaves behind; an API alone may be another install's.)
 */
async function embeddedInUse(config: Config): Promise<boolean> {
  if (!fs.existsSync(path.join(config.database.pgliteDir, 'postmaster.pid'))) return false;
  try {
    await fetch(`http://127.0.0.1:${config.api.port}/healthz`, { signal: AbortSignal.timeout(1500) });
    return true;
  } catch {
    return false;
  }
}

/** The team to fill and the owner its campaigns are made by. */
async function pickTeam(
  db: Knex,
  wanted: { team?: string; email?: string },
): Promise<{ teamId: string; name: string; personal: boolean; userId: string }> {
  const ownerOf = async (teamId: string) => (await listOwnersAndAdmins(db, teamId))[0]?.userId;
  if (wanted.team) {
    const team = await findTeam(db, wanted.team).catch(() => undefined);
    const owner = team && (await ownerOf(team.id));
    if (!team || !owner) throw new Refusal(`No team with id ${wanted.team} (with an owner).`);
    return { teamId: team.id, name: team.name, personal: team.personal, userId: owner };
  }
  if (wanted.email) {
    const user = await findUserByEmail(db, wanted.email);
    if (!user) throw new Refusal(`No account uses ${wanted.email}.`);
    const teams = await listTeamsForUser(db, user.id);
    const team =
      teams.find((t) => t.personal && t.role === 'owner') ?? teams.find((t) => t.role !== 'viewer');
    if (!team) throw new Refusal(`${wanted.email} is not an editor in any team.`);
    return { teamId: team.id, name: team.name, personal: team.personal, userId: user.id };
  }
  const first = await db('teams').orderBy('created_at').first<{ id: string } | undefined>('id');
  const team = first && (await findTeam(db, first.id));
  const owner = team && (await ownerOf(team.id));
  if (team && owner) return { teamId: team.id, name: team.name, personal: team.personal, userId: owner };
  // A fresh install: make an account to look at the demo with.
  const email = 'demo@hopflow.test';
  const password = randomBytes(9).toString('base64url');
  return db.transaction(async (trx) => {
    const user = await insertUser(trx, { email, name: 'Demo', passwordHash: await hashPassword(password) });
    const made = await insertTeam(trx, { name: "Demo's team", personal: true, createdBy: user.id });
    await insertMember(trx, made.id, user.id, 'owner');
    say(`no account yet: made one. Log in as ${email} with the password ${password}`);
    return { teamId: made.id, name: made.name, personal: true, userId: user.id };
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      team: { type: 'string' },
      email: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isSafeInteger(seed)) throw new Refusal('--seed takes a whole number.');
  const config = loadConfigOrExit();
  if (config.embedded && (await embeddedInUse(config))) {
    throw new Refusal(
      'Hopflow is running on its embedded database, which one process opens at a time. Stop it (Ctrl-C) and ' +
        'run this again, or use "Load demo data" on the dashboard while it runs.',
    );
  }
  const db = createDb(config);
  try {
    await migrateLatest(db);
    const team = await pickTeam(db, values);
    say(`team: ${team.name} (${team.teamId})`);
    const started = Date.now();
    const demo = createDemoDataService({ db, config });
    const s = await demo
      .load(
        { teamId: team.teamId, teamName: team.name, personal: team.personal, role: 'owner' },
        team.userId,
        { seed, say },
      )
      .catch((err: unknown) => {
        if (err instanceof Error && 'code' in err && err.code === 'team_has_clicks') {
          throw new Refusal(`${err.message} (pick another with --team or --email)`);
        }
        throw err;
      });
    const n = (v: number) => v.toLocaleString('en-GB');
    say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
    say(`  ${s.campaigns} campaigns, ${s.links} tracking links`);
    say(`  ${n(s.clicks)} clicks (${n(s.uniqueClicks)} unique), ${n(s.botClicks)} bot clicks`);
    say(
      `  ${n(s.sales)} sales, ${n(s.rebills)} rebills, ${n(s.refunds)} refunds, ${n(s.chargebacks)} chargebacks`,
    );
    say(`  net revenue ${s.net.toLocaleString('en-US', { style: 'currency', currency: 'USD' })}`);
    say(`open ${config.ui.publicUrl}/?team=${team.teamId}`);
  } finally {
    await db.destroy();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof Refusal) {
      console.error(`[demo-data] ${err.message}`);
      process.exit(1);
    }
    console.error(err);
    process.exit(1);
  },
);
