/**
 * Words for the automations list, the template gallery and import (shapes: $api/automations,
 * $api/automation-templates). Pure, so the unit tests import it.
 */
import type { ErrorDetail } from './api-words';

type AutomationStatus = 'draft' | 'active' | 'paused' | 'archived';

const statusWords: Record<AutomationStatus, { label: string; tone: string }> = {
  draft: { label: 'Not live yet', tone: '' },
  active: { label: 'Live', tone: 'completed' },
  paused: { label: 'Paused', tone: 'pending' },
  archived: { label: 'Archived', tone: '' },
};

export function automationStatusLabel(status: string): string {
  return statusWords[status as AutomationStatus]?.label ?? status;
}

export function automationStatusTone(status: string): string {
  return statusWords[status as AutomationStatus]?.tone ?? '';
}

/** An automation run's status (queued … skipped) in words. */
const runWords: Record<string, { label: string; tone: string }> = {
  queued: { label: 'Starting', tone: 'pending' },
  running: { label: 'Running', tone: 'pending' },
  waiting: { label: 'Waiting', tone: 'pending' },
  succeeded: { label: 'Finished', tone: 'completed' },
  failed: { label: 'Failed', tone: 'failed' },
  cancelled: { label: 'Cancelled', tone: '' },
  skipped: { label: 'Skipped', tone: '' },
};

export function lastRunLabel(status: string): string {
  return runWords[status]?.label ?? status;
}

export function lastRunTone(status: string): string {
  return runWords[status]?.tone ?? '';
}

/** What each account a template uses is for (the gallery's "connects"). */
const connectWords: Record<string, string> = {
  clickbank: 'ClickBank for sales',
  postmark: 'Postmark for email',
  anthropic: 'Claude for writing',
  claude: 'Claude for writing',
  wordpress: 'WordPress for publishing',
  stripe: 'Stripe for payments',
};

export function connectLabel(name: string): string {
  return connectWords[name.toLowerCase()] ?? name;
}

/** The automation's export file in the shape import takes (name, description, definition), or why not. */
export function readExportFile(text: string): { ok: true; body: unknown } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, message: 'Choose a file exported from Hopflow, or paste its text.' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return {
      ok: false,
      message:
        'This is not an automation file: it could not be read. Export the automation again from its page and use that file.',
    };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {
      ok: false,
      message: 'This is not an automation file. Export the automation again from its page.',
    };
  }
  const record = parsed as Record<string, unknown>;
  if (!('definition' in record)) {
    return {
      ok: false,
      message: 'This file has no steps or trigger in it. Export the automation again from its page.',
    };
  }
  return { ok: true, body: record };
}

/**
 * Import problems, one line each: where (a step by number and name, what starts it, the name) and what to do.
 * The API's paths read `definition.steps[2].config.to`, `definition.trigger.cron`, `name`; `body` is what was
 * sent, for the steps' names.
 */
export function importProblemLines(details: readonly ErrorDetail[], body?: unknown): string[] {
  return details.map((d) => `${wherePath(d.path, body)}: ${d.message}`);
}

function stepName(body: unknown, index: number): string | null {
  const definition = (body as { definition?: { steps?: unknown } } | null)?.definition;
  const steps = definition && Array.isArray(definition.steps) ? definition.steps : [];
  const name = (steps[index] as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name.trim() ? name.trim() : null;
}

function wherePath(path: string, body: unknown): string {
  if (path === 'name') return 'Name';
  if (path === 'description') return 'Description';
  if (path === 'definition' || path === '') return 'The file';
  const rest = path.replace(/^definition\.?/, '');
  if (rest.startsWith('trigger')) {
    const field = rest.slice('trigger'.length).replace(/^\.?(config\.)?/, '');
    return field ? `What starts it (${field})` : 'What starts it';
  }
  const steps = [...rest.matchAll(/steps\[(\d+)\]/g)].map((m) => Number(m[1]) + 1);
  if (steps.length > 0) {
    const field = rest.replace(/^.*steps\[\d+\]\.?/, '').replace(/^config\./, '');
    const name = steps.length === 1 ? stepName(body, steps[0]! - 1) : null;
    const where = `Step ${steps.join('.')}${name ? ` “${name}”` : ''}`;
    return field ? `${where} (${field})` : where;
  }
  return rest || 'The file';
}
