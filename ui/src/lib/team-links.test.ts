import { switchTeamHref } from './team-links';

const B = '2b0c3a4e-0000-4000-8000-00000000000b';
const at = (path: string) => new URL(path, 'http://ui.test');

describe('where the team menu leads', () => {
  it("opens the same section of the other team on a team page (its list: an item of one team is not in another's)", () => {
    expect(switchTeamHref(at('/teams/a/content/123?status=scheduled'), B)).toBe(`/teams/${B}/content`);
    expect(switchTeamHref(at('/teams/a/contacts'), B)).toBe(`/teams/${B}/contacts`);
    expect(switchTeamHref(at('/teams/a/automations/9c1d'), B)).toBe(`/teams/${B}/automations`);
    expect(switchTeamHref(at('/teams/a/automation-runs?automation_id=9c1d'), B)).toBe(
      `/teams/${B}/automation-runs`,
    );
    expect(switchTeamHref(at('/teams/a'), B)).toBe(`/teams/${B}`);
  });

  it('keeps other pages and their filters, naming the team in ?team=', () => {
    expect(switchTeamHref(at('/'), B)).toBe(`/?team=${B}`);
    expect(switchTeamHref(at('/products?q=keto&team=a'), B)).toBe(`/products?q=keto&team=${B}`);
  });

  it("drops a check of the other team from the operations page's address", () => {
    expect(switchTeamHref(at('/operations?team=a&check=c1'), B)).toBe(`/operations?team=${B}`);
  });
});
