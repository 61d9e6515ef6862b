import { markdownToHtml, wordpressPost } from './markdown-html';

describe('markdownToHtml', () => {
  it('turns headings, paragraphs, lists and links into HTML', () => {
    const md = [
      '# Keto Kickstart review',
      '',
      '*Disclosure: this article contains affiliate links.*',
      '',
      '## What you get',
      '',
      '- A 28-day plan',
      '- **Recipes** and lists',
      '',
      '1. Read',
      '2. Cook',
      '',
      '**Ready?** [Get it here](https://v.hop.clickbank.net/?tid=a&x=1)',
    ].join('\n');
    expect(markdownToHtml(md)).toBe(
      [
        '<h1>Keto Kickstart review</h1>',
        '<p><em>Disclosure: this article contains affiliate links.</em></p>',
        '<h2>What you get</h2>',
        '<ul>\n<li>A 28-day plan</li>\n<li><strong>Recipes</strong> and lists</li>\n</ul>',
        '<ol>\n<li>Read</li>\n<li>Cook</li>\n</ol>',
        '<p><strong>Ready?</strong> <a href="https://v.hop.clickbank.net/?tid=a&amp;x=1">Get it here</a></p>',
      ].join('\n'),
    );
  });

  it('escapes HTML and refuses links that are not http(s) or mailto', () => {
    expect(markdownToHtml('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(markdownToHtml('[x](javascript:alert(1))')).not.toContain('<a');
    expect(markdownToHtml('[x](https://a.example/"onmouseover="y)')).not.toContain('"onmouseover');
  });

  it('keeps line breaks inside a paragraph, quotes and rules, and snake_case words', () => {
    expect(markdownToHtml('one\ntwo')).toBe('<p>one<br />\ntwo</p>');
    expect(markdownToHtml('> quoted')).toBe('<blockquote>\n<p>quoted</p>\n</blockquote>');
    expect(markdownToHtml('---')).toBe('<hr />');
    expect(markdownToHtml('a snake_case_word and 2 * 3 * 4')).toBe('<p>a snake_case_word and 2 * 3 * 4</p>');
    expect(markdownToHtml('#ad (affiliate link)')).toBe('<p>#ad (affiliate link)</p>');
    expect(markdownToHtml('[**Go**](https://a.example/_x_/*y*)')).toBe(
      '<p><a href="https://a.example/_x_/*y*"><strong>Go</strong></a></p>',
    );
  });
});

describe('wordpressPost', () => {
  it('takes the first top-level heading as the title and leaves it out of the body', () => {
    const post = wordpressPost(
      '# Rapid **Tinnitus** & you\n\nIntro.\n\n## Part\n\n# Later heading',
      'Review article: X',
    );
    expect(post.title).toBe('Rapid Tinnitus & you');
    expect(post.content).toBe(markdownToHtml('Intro.\n\n## Part\n\n# Later heading'));
    expect(post.content.match(/<h1>/g)).toHaveLength(1);
    expect(post.content).not.toContain('Rapid');
  });

  it('reads a heading under an opening line, and keeps the label without one', () => {
    expect(wordpressPost('*Disclosure: links.*\n\n# The title\n\nText.', 'Label')).toEqual({
      title: 'The title',
      content: markdownToHtml('*Disclosure: links.*\n\n\nText.'),
    });
    expect(wordpressPost('## Only a subheading\n\nText.', 'Label')).toEqual({
      title: 'Label',
      content: markdownToHtml('## Only a subheading\n\nText.'),
    });
    expect(wordpressPost('```\n# not a heading\n```', 'Label').title).toBe('Label');
  });
});
