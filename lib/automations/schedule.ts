import { Cron } from 'croner';
import { IANAZone } from 'luxon';

const NICKNAMES = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly']);

/** Why a cron expression cannot run (five fields: minute hour day-of-month month day-of-week), or undefined. */
export function cronProblem(cron: string): string | undefined {
  const text = cron.trim();
  if (!NICKNAMES.has(text.toLowerCase()) && text.split(/\s+/).length !== 5) {
    return 'a cron expression has five fields: minute hour day-of-month month day-of-week (e.g. 0 9 * * 1)';
  }
  try {
    const job = new Cron(text, { paused: true });
    const next = job.nextRun();
    job.stop();
    return next ? undefined : 'this cron expression never fires';
  } catch (error) {
    return `not a valid cron expression: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Why a time zone is unknown (IANA names such as Europe/Berlin or America/New_York), or undefined. */
export function timeZoneProblem(zone: string): string | undefined {
  return IANAZone.isValidZone(zone)
    ? undefined
    : `unknown time zone ${JSON.stringify(zone)}: use an IANA name such as Europe/Berlin`;
}
