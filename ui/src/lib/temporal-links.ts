import type { Meta } from '$api/auth';

/** Temporal Web's list of runs for one team, filtered by the TeamId search attribute. */
export function teamWorkflowsUrl(meta: Meta, teamId: string): string {
  const base = meta.temporalWebUrl.replace(/\/+$/, '');
  const query = encodeURIComponent(`TeamId="${teamId}"`);
  return `${base}/namespaces/${encodeURIComponent(meta.temporalNamespace)}/workflows?query=${query}`;
}

/** Temporal Web's page for one workflow (latest run). */
export function workflowUrl(meta: Meta, workflowId: string): string {
  const base = meta.temporalWebUrl.replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(meta.temporalNamespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
