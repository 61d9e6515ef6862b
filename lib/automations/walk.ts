import { createHash } from 'node:crypto';
import type { Step } from './steps';

/** Every step of a list, lanes included (branches, for_each, timeouts, on_error), depth first. */
export function* allSteps(steps: readonly Step[]): Generator<Step> {
  for (const step of steps) {
    yield step;
    if (step.on_error) yield* allSteps(step.on_error);
    if (step.type === 'branch') {
      for (const b of step.config.branches) yield* allSteps(b.steps);
      yield* allSteps(step.config.otherwise);
    } else if (step.type === 'for_each') yield* allSteps(step.config.steps);
    else if (step.type === 'wait_for_event') yield* allSteps(step.config.on_timeout);
  }
}

/** What a definition's wait_for_event steps wait for: platform event types and `signal:<name>`. */
export function listenedEvents(steps: readonly Step[]): string[] {
  const types = new Set<string>();
  for (const step of allSteps(steps)) {
    if (step.type !== 'wait_for_event') continue;
    if (step.config.event) types.add(step.config.event);
    if (step.config.signal) types.add(`signal:${step.config.signal}`);
  }
  return [...types].sort();
}

const PLAIN_KEY = /^[A-Za-z0-9._:@-]{1,120}$/;

/**
 * A delivery or event key as it goes into a workflow id: kept when short and plain (readable in Temporal Web),
 * else `h:` + its sha256, so any byte string (NULs, lone surrogates, megabytes) gives a safe, stable id.
 */
export function runKey(key: string): string {
  return PLAIN_KEY.test(key) ? key : `h:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}
