import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';

/** Helpers of the automation builder's browser tests. */

/** Adds a step through the palette the `addButton` ("+") opens: searches, then picks the option. */
export async function addStep(page: Page, addButton: Locator, search: string, option: string): Promise<void> {
  await addButton.click();
  const palette = page.getByRole('dialog', { name: 'Add a step' });
  await palette.getByRole('searchbox').fill(search);
  await palette.getByRole('button', { name: option }).click();
  await expect(palette).toBeHidden();
}

/** axe's serious and critical findings (WCAG 2.1 A/AA and best practice) on the page as it is, one line each. */
export async function seriousAxeFindings(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
