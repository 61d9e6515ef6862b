import { renderTemplate, templateProblems, textToHtml } from './render';

describe('email templates', () => {
  it('fills variables, with fallbacks for missing values', () => {
    expect(
      renderTemplate('Hi {{ first_name | "there" }}, get {{product}}: {{ hoplink }}', {
        product: 'Keto Guide',
        hoplink: 'https://hop.example/x',
      }),
    ).toBe('Hi there, get Keto Guide: https://hop.example/x');
    expect(renderTemplate('Hi {{first_name}}!', { first_name: 'Ana' })).toBe('Hi Ana!');
    expect(renderTemplate('Hi {{first_name}}!', {})).toBe('Hi !');
  });

  it('reports unknown variables and broken braces', () => {
    expect(templateProblems('Hi {{ first_name }}')).toEqual([]);
    expect(templateProblems('Hi {{ frist_name }}')[0]).toMatch(/unknown variable \{\{ frist_name \}\}/);
    expect(templateProblems('Hi {{ first_name')).toHaveLength(1);
  });

  it('turns text into escaped HTML paragraphs with clickable links', () => {
    const html = textToHtml('Hello <b>you</b>\nline two\n\nVisit https://example.test/a?x=1&y=2.');
    expect(html).toContain('<p>Hello &lt;b&gt;you&lt;/b&gt;<br>\nline two</p>');
    expect(html).toContain(
      '<a href="https://example.test/a?x=1&amp;y=2">https://example.test/a?x=1&amp;y=2</a>.',
    );
  });
});
