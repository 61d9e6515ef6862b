import type { ContentRevision } from '$api/content';
import {
  defaultComparison,
  diffCounts,
  diffTexts,
  readableText,
  revisionAuthor,
  textVersions,
} from './content-revisions';

const revision = (
  id: string,
  kind: ContentRevision['kind'],
  body: string | null,
  note: string | null = null,
) =>
  ({
    id,
    contentId: 'c',
    kind,
    body,
    note,
    author: kind === 'draft' ? null : { id: 'u', name: 'Ana' },
    createdAt: '2026-12-07T10:00:00.000Z',
  }) satisfies ContentRevision;

describe('content revisions', () => {
  const history = [
    revision('a', 'draft', 'First draft'),
    revision('b', 'revise', null, 'Shorter please'),
    revision('c', 'draft', 'Second draft'),
    revision('d', 'edit', 'Second draft, edited'),
  ];

  it('numbers the versions that hold text and compares the two newest', () => {
    const versions = textVersions(history);
    expect(versions.map((v) => [v.id, v.label])).toEqual([
      ['a', 'Version 1 · draft by Claude'],
      ['c', 'Version 2 · draft by Claude'],
      ['d', 'Version 3 · edit by Ana'],
    ]);
    expect(defaultComparison(versions)).toEqual({ from: 'c', to: 'd' });
    expect(defaultComparison(versions.slice(0, 1))).toBeNull();
  });

  it('says who: Claude for drafts, the person by name otherwise', () => {
    expect(revisionAuthor(history[0]!)).toBe('Claude');
    expect(revisionAuthor(history[3]!)).toBe('Ana');
    expect(revisionAuthor({ kind: 'edit', author: null })).toBe('A former team member');
  });

  it('diffs word by word, keeping line breaks, and counts the words', () => {
    const parts = diffTexts('# Title\n\nKeto is good.', '# Title\n\nKeto is really good.\n\n- Recipes');
    expect(parts.map((p) => p.kind)).toContain('added');
    expect(
      parts
        .filter((p) => p.kind !== 'removed')
        .map((p) => p.text)
        .join(''),
    ).toBe('# Title\n\nKeto is really good.\n\n- Recipes');
    expect(
      parts
        .filter((p) => p.kind !== 'added')
        .map((p) => p.text)
        .join(''),
    ).toBe('# Title\n\nKeto is good.');
    expect(diffCounts(parts)).toEqual({ added: 3, removed: 0 });
    expect(diffTexts('same', 'same')).toEqual([{ kind: 'same', text: 'same' }]);
  });
});

describe('readableText', () => {
  it('drops Markdown symbols a reader does not see', () => {
    const md = [
      '# Rapid **Tinnitus** review',
      '',
      '*Disclosure: this article contains affiliate links.*',
      '',
      '- Convert well & refunds',
      '- A_b stays, 5 \\* 3',
      '',
      '**Ready?** [Get it here](https://v.hop.clickbank.net/?tid=a)',
    ].join('\n');
    expect(readableText(md)).toBe(
      [
        'Rapid Tinnitus review',
        '',
        'Disclosure: this article contains affiliate links.',
        '',
        '• Convert well & refunds',
        '• A_b stays, 5 * 3',
        '',
        'Ready? Get it here (https://v.hop.clickbank.net/?tid=a)',
      ].join('\n'),
    );
  });
});
