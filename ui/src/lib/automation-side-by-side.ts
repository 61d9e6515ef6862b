/**
 * Two texts (pretty JSON of two versions) as aligned rows for a side-by-side view: unchanged lines on both
 * sides, a removed line beside the line added in its place, lines only one side has beside a gap.
 */
import { diffLines } from 'diff';

interface SideLine {
  number: number;
  text: string;
  changed: boolean;
}

export interface SideRow {
  left: SideLine | null;
  right: SideLine | null;
}

function lines(value: string): string[] {
  const out = value.split('\n');
  if (out.at(-1) === '') out.pop();
  return out;
}

export function sideBySide(before: string, after: string): SideRow[] {
  const rows: SideRow[] = [];
  let left = 0;
  let right = 0;
  let removed: string[] = [];
  const flushRemoved = (added: string[]) => {
    const count = Math.max(removed.length, added.length);
    for (let i = 0; i < count; i++) {
      rows.push({
        left: i < removed.length ? { number: ++left, text: removed[i]!, changed: true } : null,
        right: i < added.length ? { number: ++right, text: added[i]!, changed: true } : null,
      });
    }
    removed = [];
  };
  for (const part of diffLines(before, after)) {
    const text = lines(part.value);
    if (part.removed) {
      flushRemoved([]);
      removed = text;
    } else if (part.added) {
      flushRemoved(text);
    } else {
      flushRemoved([]);
      for (const line of text) {
        rows.push({
          left: { number: ++left, text: line, changed: false },
          right: { number: ++right, text: line, changed: false },
        });
      }
    }
  }
  flushRemoved([]);
  return rows;
}

/** A definition as the side-by-side view shows it. */
export function prettyDefinition(definition: unknown): string {
  return definition === undefined || definition === null ? '' : JSON.stringify(definition, null, 2);
}
