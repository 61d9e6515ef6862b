import { buildStepPrompt, type PromptInput } from '../../lib/content/prompts';
import { parsePipelinePrompt, writePipelineText } from './content-writer';

const link = 'https://keto.hop.clickbank.net/?affiliate=ana';
const input: PromptInput = {
  type: 'review_article',
  tone: 'friendly',
  keywords: ['keto', 'meal prep'],
  length: 'short',
  campaign: { name: 'Keto spring push', hoplink: link },
  product: {
    title: 'Keto Kickstart Program',
    description: 'A 28-day ketogenic meal plan with recipes and shopping lists.',
    categoryPath: ['Health & Fitness', 'Diets & Weight Loss'],
  },
  brief: 'Brief',
  outline: 'Outline',
};

describe('sandbox content writer', () => {
  it('writes about the product it was given, with its benefits and the link in a call to action', () => {
    const prompt = parsePipelinePrompt(buildStepPrompt('draft', input).prompt);
    expect(prompt).toMatchObject({
      kind: 'draft',
      type: 'review_article',
      product: 'Keto Kickstart Program',
      link,
    });
    const text = writePipelineText(prompt!, 'seed');
    expect(text).toMatch(/^# Keto Kickstart Program review/);
    expect(text).toContain('- A 28-day ketogenic meal plan\n- Recipes\n- Shopping lists');
    expect(text).toContain(`[Get Keto Kickstart Program here](${link})`);
    expect(text).toMatch(/affiliate link/);
  });

  it("addresses the reviewer's notes, polishes the draft it got, and leaves other prompts alone", () => {
    const notes = 'Mention the refund policy';
    const revised = writePipelineText(
      parsePipelinePrompt(buildStepPrompt('draft', { ...input, notes }).prompt)!,
      's',
    );
    expect(revised).toContain('As you asked: Mention the refund policy.');
    const polish = parsePipelinePrompt(buildStepPrompt('polish', { ...input, draft: revised }).prompt);
    expect(writePipelineText(polish!, 'other seed')).toBe(revised);
    expect(parsePipelinePrompt(buildStepPrompt('brief', input).prompt)).toBeUndefined();
    expect(parsePipelinePrompt('Summarise the week')).toBeUndefined();
  });

  it('leaves out the call to action and the disclosure on [sandbox:no-cta]; social posts are plain text', () => {
    const prompt = buildStepPrompt('draft', {
      ...input,
      type: 'social_post',
      keywords: ['keto', '[sandbox:no-cta]'],
    });
    const text = writePipelineText(parsePipelinePrompt(prompt.prompt)!, 'seed');
    expect(text).toContain('Keto Kickstart Program');
    expect(text).not.toContain(link);
    expect(text).not.toMatch(/#ad|affiliate/);
    expect(text).not.toContain('[sandbox:');
  });
});
