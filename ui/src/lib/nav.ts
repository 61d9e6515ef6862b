import type { Component } from 'svelte';
import Activity from '@lucide/svelte/icons/activity';
import FileText from '@lucide/svelte/icons/file-text';
import LayoutDashboard from '@lucide/svelte/icons/layout-dashboard';
import Mail from '@lucide/svelte/icons/mail';
import Megaphone from '@lucide/svelte/icons/megaphone';
import Package from '@lucide/svelte/icons/package';
import Plug from '@lucide/svelte/icons/plug';
import Server from '@lucide/svelte/icons/server';
import Users from '@lucide/svelte/icons/users';
import Workflow from '@lucide/svelte/icons/workflow';

export type NavLink = {
  href: string;
  label: string;
  icon: Component;
  /** Team pages that count as this section (any team's). */
  also?: RegExp;
  /** Shown to owners and admins of the chosen team only. */
  adminOnly?: boolean;
};

/**
 * The main sections. Team-scoped ones (/campaigns, /content, /automations, /runs, /email, /settings) open the chosen
 * team's page (the server remembers the team last opened or picked in the switcher).
 */
export const navLinks: NavLink[] = [
  { href: '/', label: 'Dashboard', icon: LayoutDashboard },
  { href: '/products', label: 'Products', icon: Package },
  { href: '/campaigns', label: 'Campaigns', icon: Megaphone, also: /^\/teams\/[^/]+\/campaigns(\/|$)/ },
  { href: '/content', label: 'Content', icon: FileText, also: /^\/teams\/[^/]+\/content(\/|$)/ },
  {
    href: '/automations',
    label: 'Automations',
    icon: Workflow,
    also: /^\/teams\/[^/]+\/(automations|automation-runs)(\/|$)/,
  },
  { href: '/runs', label: 'Runs', icon: Activity, also: /^\/teams\/[^/]+\/runs(\/|$)/ },
  {
    href: '/email',
    label: 'Email',
    icon: Mail,
    also: /^\/teams\/[^/]+\/(contacts|sequences|broadcasts|bonuses)(\/|$)/,
  },
  { href: '/teams', label: 'Teams', icon: Users },
  { href: '/settings', label: 'Integrations', icon: Plug, also: /^\/teams\/[^/]+\/integrations(\/|$)/ },
  { href: '/operations', label: 'Operations', icon: Server, adminOnly: true },
];

/** Whether `link` is the section of `path` (a team page belongs to its section, not to Teams). */
export function isActive(link: NavLink, path: string): boolean {
  if (link.also?.test(path)) return true;
  if (navLinks.some((l) => l !== link && l.also?.test(path))) return false;
  return link.href === '/' ? path === '/' : path === link.href || path.startsWith(`${link.href}/`);
}
