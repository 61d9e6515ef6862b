/**
 * The editor's unsaved work kept in the browser (localStorage, per automation) until the server has it: the API
 * refuses to save a definition with problems, and a closed tab must not lose what was typed.
 */
import type { z } from 'zod';
import type { automationResponse } from '$api/automations';

export type EditedAutomation = z.output<typeof automationResponse>['automation'];

export interface LocalDraft {
  /** The definition as JSON. */
  json: string;
  /** When it was kept (ISO). */
  keptAt: string;
}

const key = (automationId: string) => `hf-automation-draft:${automationId}`;

export function readLocalDraft(automationId: string): LocalDraft | null {
  try {
    const raw = localStorage.getItem(key(automationId));
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<LocalDraft>;
    return typeof parsed.json === 'string' && typeof parsed.keptAt === 'string'
      ? { json: parsed.json, keptAt: parsed.keptAt }
      : null;
  } catch {
    return null;
  }
}

export function keepLocalDraft(automationId: string, json: string): void {
  try {
    localStorage.setItem(key(automationId), JSON.stringify({ json, keptAt: new Date().toISOString() }));
  } catch {
    // Storage full or blocked: the autosave still tries the server.
  }
}

export function dropLocalDraft(automationId: string): void {
  try {
    localStorage.removeItem(key(automationId));
  } catch {
    // Nothing to drop.
  }
}

/**
 * Work kept in the browser is worth offering back when it differs from the server's latest version and was kept
 * after that version was saved (an older copy lost to a newer save elsewhere is dropped).
 */
export function isNewerThanServer(
  draft: LocalDraft,
  serverJson: string,
  serverUpdatedAt: string | null,
): boolean {
  if (draft.json === serverJson) return false;
  if (!serverUpdatedAt) return true;
  return Date.parse(draft.keptAt) > Date.parse(serverUpdatedAt);
}
