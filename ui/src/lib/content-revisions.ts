/** The review history of a content item for the UI: labels, the pair to compare, and the text diff. */
import { diffWordsWithSpace } from 'diff';
import type { ContentRevision, ContentRevisionKind } from '$api/content';

const kindLabels: Record<ContentRevisionKind, string> = {
  draft: 'Draft written by Claude',
  revise: 'Changes requested',
  edit: 'Text edited',
};

export const revisionKindLabel = (kind: ContentRevisionKind): string => kindLabels[kind];

/** Who made it, in words: drafts are Claude's, people by name. */
export function revisionAuthor(revision: Pick<ContentRevision, 'kind' | 'author'>): string {
  if (revision.kind === 'draft') return 'Claude';
  return revision.author?.name ?? 'A former team member';
}

/** Revisions that hold text (drafts and edits), numbered in order: "Version 3". */
export interface TextVersion {
  id: string;
  number: number;
  label: string;
  body: string;
}

export function textVersions(revisions: readonly ContentRevision[]): TextVersion[] {
  const versions: TextVersion[] = [];
  for (const r of revisions) {
    if (r.body === null || r.kind === 'revise') continue;
    const number = versions.length + 1;
    versions.push({
      id: r.id,
      number,
      label: `Version ${number} · ${r.kind === 'draft' ? 'draft' : 'edit'} by ${revisionAuthor(r)}`,
      body: r.body,
    });
  }
  return versions;
}

/** What to compare first: the two newest versions (older on the left), or nothing when there is one. */
export function defaultComparison(versions: readonly TextVersion[]): { from: string; to: string } | null {
  const to = versions.at(-1);
  const from = versions.at(-2);
  return from && to ? { from: from.id, to: to.id } : null;
}

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** A word-level diff that keeps line breaks, with neighbouring parts of one kind joined. */
/**
 * Markdown as a reader sees it, for comparing versions: no heading hashes, emphasis stars or link brackets
 * ("## Why **it** works" -> "Why it works"; "[Get it](https://x)" -> "Get it (https://x)"); list items start
 * with a bullet. Line breaks stay, so paragraphs stay apart.
 */
export function readableText(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) =>
      line
        .replace(/^\s{0,3}#{1,6}\s+/, '')
        .replace(/^(\s*)[-*+]\s+/, '$1• ')
        .replace(/^\s{0,3}>\s?/, '')
        .replace(/!?\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g, (_m, text: string, url: string) =>
          text && text !== url ? `${text} (${url})` : url,
        )
        .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
        .replace(/(^|[^\w*])[*_](?=\S)(.+?)(?<=\S)[*_](?![\w*])/g, '$1$2')
        .replace(/`([^`]+)`/g, '$1')
        .replace(/\\([\\`*_[\]~#>+\-.!])/g, '$1'),
    )
    .join('\n');
}

export function diffTexts(from: string, to: string): DiffPart[] {
  const parts: DiffPart[] = [];
  for (const change of diffWordsWithSpace(from, to)) {
    const kind = change.added ? 'added' : change.removed ? 'removed' : 'same';
    const last = parts.at(-1);
    if (last?.kind === kind) last.text += change.value;
    else parts.push({ kind, text: change.value });
  }
  return parts;
}

/** Words added and removed, for the summary line above a comparison. */
export function diffCounts(parts: readonly DiffPart[]): { added: number; removed: number } {
  const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
  return {
    added: parts.filter((p) => p.kind === 'added').reduce((n, p) => n + words(p.text), 0),
    removed: parts.filter((p) => p.kind === 'removed').reduce((n, p) => n + words(p.text), 0),
  };
}
