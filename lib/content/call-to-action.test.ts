import { campaignLink } from './campaign-link';
import { disclosureText, ensureEarningText, hasDisclosure } from './call-to-action';

const link = 'https://vendor.hop.clickbank.net/?affiliate=ana';
const article = (body: string) =>
  ensureEarningText(body, { type: 'review_article', link, productName: 'Keto Kickstart' });

describe('ensureEarningText', () => {
  it('adds a call to action with the link and the disclosure to an article that has neither', () => {
    const out = article('# Keto Kickstart review\n\nA 28-day plan.\n\n## Verdict\n\nWorth it.');
    expect(out).toMatchObject({ addedCallToAction: true, addedDisclosure: true });
    expect(out.text).toContain(`[Get Keto Kickstart here](${link})`);
    // The title stays first, the disclosure comes before any link, the call to action closes the piece.
    const lines = out.text.split('\n\n');
    expect(lines[0]).toBe('# Keto Kickstart review');
    expect(lines[1]).toBe(disclosureText('review_article'));
    expect(lines.at(-1)).toContain(link);
  });

  it('puts the disclosure first when the article has no title line', () => {
    const out = article('Plain opening paragraph.');
    expect(out.text.startsWith('*Disclosure:')).toBe(true);
  });

  it('leaves text that already has both untouched, and adds each part only once', () => {
    const done = `# Review\n\nGood plan. [Try it](${link})\n\nThis post contains affiliate links.`;
    expect(article(done)).toEqual({ text: done, addedCallToAction: false, addedDisclosure: false });
    const once = article('Some text.').text;
    expect(article(once)).toEqual({ text: once, addedCallToAction: false, addedDisclosure: false });
    expect(once.split(link)).toHaveLength(2);
  });

  it('adds only what is missing', () => {
    const withLink = article(`Text with [a link](${link}).`);
    expect(withLink).toMatchObject({ addedCallToAction: false, addedDisclosure: true });
    const withDisclosure = article('Disclosure: I earn a commission if you buy.');
    expect(withDisclosure).toMatchObject({ addedCallToAction: true, addedDisclosure: false });
  });

  it('writes plain text for social posts and ends emails with link then disclosure', () => {
    const social = ensureEarningText('Meal prep made easy.', {
      type: 'social_post',
      link,
      productName: 'Keto',
    });
    expect(social.text).toBe(`Meal prep made easy.\n\nGet Keto here: ${link}\n\n#ad (affiliate link)`);
    const email = ensureEarningText('Subject: Hello\n\nHi there.', {
      type: 'email',
      link,
      productName: 'Keto',
    });
    expect(email.text.indexOf(link)).toBeLessThan(email.text.indexOf('Disclosure'));
  });

  it('adds no call to action when the campaign has no link, but still the disclosure', () => {
    const out = ensureEarningText('Text.', { type: 'landing_page', link: null, productName: 'Keto' });
    expect(out).toMatchObject({ addedCallToAction: false, addedDisclosure: true });
  });

  it('does not take talk about affiliate marketing for a disclosure', () => {
    expect(hasDisclosure('Affiliate marketing is a big industry.')).toBe(false);
    expect(hasDisclosure('We may earn a commission on purchases.')).toBe(true);
    expect(hasDisclosure('Great deal #ad')).toBe(true);
    expect(hasDisclosure('Great deal #adventure')).toBe(false);
  });
});

describe('campaignLink', () => {
  const links = { publicUrl: 'https://go.example.com' };
  it("is the campaign's tracking link with the piece's source", () => {
    expect(campaignLink({ hoplink: link, trackingSlug: 'ab12cd34ef' }, links, 'content')).toBe(
      'https://go.example.com/r/ab12cd34ef?src=content',
    );
    expect(campaignLink({ hoplink: link, trackingSlug: 'spring-sale' }, links, 'email')).toBe(
      'https://go.example.com/r/spring-sale?src=email',
    );
  });

  it('falls back to the HopLink without a tracking link, and is null when the campaign has neither', () => {
    expect(campaignLink({ hoplink: ` ${link} `, trackingSlug: null }, links, 'content')).toBe(link);
    expect(campaignLink({ hoplink: null, trackingSlug: null }, links, 'bonus')).toBeNull();
    expect(campaignLink({ hoplink: '', trackingSlug: ' ' }, links, 'broadcast')).toBeNull();
  });
});
