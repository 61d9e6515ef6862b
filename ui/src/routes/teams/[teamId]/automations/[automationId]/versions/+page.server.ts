import { api } from '$lib/server/api';
import { loadError } from '$lib/server/guard';
import { teamPath } from '$lib/server/current-team';
import { summarizeChanges } from '$lib/automation-diff';
import { prettyDefinition, sideBySide } from '$lib/automation-side-by-side';
import type { VersionSummary } from '$lib/automation-lifecycle';
import type { MembersResponse } from '$api/teams';
import type { PageServerLoad } from './$types';

/** The version a query value names, when there is one. */
function pick(versions: VersionSummary[], value: string | null): number | null {
  const n = Number(value);
  return value && Number.isInteger(n) && versions.some((v) => v.version === n) ? n : null;
}

/**
 * The versions with who saved and published them, and the comparison of two (`?a=&b=`; by default the live
 * version against the latest, or the one before the latest when the latest is live).
 */
export const load: PageServerLoad = async (event) => {
  const { team } = await event.parent();
  const client = api(event);
  const path = `${teamPath(team.id)}/automations/${encodeURIComponent(event.params.automationId)}`;
  try {
    const [{ versions }, members] = await Promise.all([
      client.get<{ versions: VersionSummary[] }>(`${path}/versions`),
      // Names are a nicety: without them the page still shows the versions.
      client
        .get<MembersResponse>(`${teamPath(team.id)}/members`)
        .then((r) => r.members)
        .catch(() => []),
    ]);
    const newestFirst = [...versions].sort((x, y) => y.version - x.version);
    const latest = newestFirst[0]?.version ?? null;
    const live = newestFirst.find((v) => v.live)?.version ?? null;
    const fallbackA = live !== null && live !== latest ? live : (newestFirst[1]?.version ?? latest);
    const a = pick(versions, event.url.searchParams.get('a')) ?? fallbackA;
    const b = pick(versions, event.url.searchParams.get('b')) ?? latest;

    let comparison = null;
    if (a !== null && b !== null && a !== b) {
      const [left, right] = await Promise.all(
        [a, b].map((n) => client.get<{ version: { definition: unknown } }>(`${path}/versions/${n}`)),
      );
      const before = left!.version.definition;
      const after = right!.version.definition;
      comparison = {
        changes: summarizeChanges(before, after),
        rows: sideBySide(prettyDefinition(before), prettyDefinition(after)),
      };
    }
    const people = Object.fromEntries(members.map((m) => [m.userId, m.name || m.email]));
    return { versions: newestFirst, people, a, b, comparison };
  } catch (err) {
    loadError(err);
  }
};
