/** One line about a step or trigger for its card in the flow, in words. */
import type { Step } from '$lib/automations';
import { triggerWords, type TriggerType } from '$lib/automation-words';

const unitWords: Record<string, [string, string]> = {
  w: ['week', 'weeks'],
  d: ['day', 'days'],
  h: ['hour', 'hours'],
  m: ['minute', 'minutes'],
  s: ['second', 'seconds'],
};

/** `1h30m` -> "1 hour 30 minutes"; anything else as written. */
function durationWords(value: unknown): string {
  if (typeof value !== 'string' || !/^(\d+[wdhms])+$/.test(value.trim())) return String(value ?? '');
  return [...value.trim().matchAll(/(\d+)([wdhms])/g)]
    .map(([, n, u]) => `${n} ${unitWords[u ?? 's']?.[Number(n) === 1 ? 0 : 1] ?? u}`)
    .join(' ');
}

function text(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || value.trim() === '') return fallback;
  const oneLine = value.replace(/\s+/g, ' ').trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 79)}…` : oneLine;
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function stepSummary(step: Step): string {
  const c = (step.config ?? {}) as Record<string, unknown>;
  switch (step.type) {
    case 'send_email':
      return `To ${text(c.to, '(no one yet)')}: ${text(c.subject, 'no subject yet')}`;
    case 'add_to_sequence':
      return `Starts a sequence for ${text(c.contact, 'a contact')}`;
    case 'remove_from_sequence':
      return `Stops a sequence for ${text(c.contact, 'a contact')}`;
    case 'tag_contact': {
      const add = list(c.add);
      const remove = list(c.remove);
      const parts = [
        add.length ? `adds ${add.join(', ')}` : '',
        remove.length ? `removes ${remove.join(', ')}` : '',
      ];
      const words = parts.filter(Boolean).join('; ');
      return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'No tags chosen yet';
    }
    case 'deliver_bonus':
      return `Sends the bonus to ${text(c.email, 'the buyer')}`;
    case 'generate_content':
      return `Writes ${text(c.type, 'content').replace(/_/g, ' ')}`;
    case 'publish_wordpress':
      return c.status === 'draft' ? 'Saves as a WordPress draft' : 'Publishes on WordPress';
    case 'http_request':
      return `${text(c.method, 'GET')} ${text(c.url, '(no address yet)')}`;
    case 'set_variable':
      return `Remembers ${text(c.name, 'a value')}`;
    case 'branch': {
      const n = Array.isArray(c.branches) ? c.branches.length : 0;
      return `${n} ${n === 1 ? 'path' : 'paths'} and otherwise`;
    }
    case 'for_each':
      return `For each of ${text(c.items, '(no list yet)')}`;
    case 'wait':
      return c.duration ? `For ${durationWords(c.duration)}` : 'No time set yet';
    case 'wait_until':
      return `Until ${text(c.until, '(no date yet)')}`;
    case 'wait_for_event': {
      const what = text(c.event, '') || (c.signal ? `the signal ${text(c.signal, '')}` : 'an event');
      return `Until ${what.replace(/[._]/g, ' ')}, at most ${durationWords(c.timeout)}`;
    }
    case 'wait_for_approval': {
      const who = list((c.approvers as { roles?: unknown } | undefined)?.roles);
      return `Asks ${who.length ? who.join(' or ') : 'someone'} to approve`;
    }
    default:
      return '';
  }
}

export function triggerSummary(trigger: Record<string, unknown> | undefined): string {
  const type = (trigger?.type ?? 'manual') as TriggerType;
  const words = triggerWords[type] ?? String(type);
  if (type === 'schedule') {
    const when = trigger?.cron ? `at "${text(trigger.cron, '')}"` : `every ${durationWords(trigger?.every)}`;
    return `${words}: ${when} (${text(trigger?.timezone, 'UTC')})`;
  }
  if (type === 'event') return `${words}: ${text(trigger?.event, 'choose an event').replace(/[._]/g, ' ')}`;
  if (type === 'clickbank') return `${words}: ${list(trigger?.transaction_types).join(', ') || 'SALE'}`;
  return words;
}
