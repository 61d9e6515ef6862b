import { renderEmail } from './render';
import { withUnsubscribeFooter } from './unsubscribe-footer';

const url = 'https://links.example.com/u/abc.def';

describe('unsubscribe footer', () => {
  it('adds the link once to a body without it', () => {
    const rendered = renderEmail({ subject: 's', body: 'Hi there' }, {});
    const out = withUnsubscribeFooter(rendered, url);
    expect(out.text.split(url)).toHaveLength(2);
    expect(out.html.split(`href="${url}"`)).toHaveLength(2);
  });

  it('adds nothing when the template already has {{ unsubscribe_url }}', () => {
    const rendered = renderEmail(
      { subject: 's', body: 'Hi\n\nLeave any time: {{ unsubscribe_url }}' },
      { unsubscribe_url: url },
    );
    const out = withUnsubscribeFooter(rendered, url);
    expect(out.text.split(url)).toHaveLength(2);
    expect(out.html.split(`href="${url}"`)).toHaveLength(2);
    expect(out.text).not.toContain('Unsubscribe with one click');
  });
});
