import type { Cookies } from '@sveltejs/kit';
import type { Theme } from '$lib/types';

const THEME_COOKIE = 'hf_theme';
const themes: readonly Theme[] = ['system', 'light', 'dark'];

export function isTheme(value: unknown): value is Theme {
  return typeof value === 'string' && (themes as readonly string[]).includes(value);
}

export function readTheme(cookies: Cookies): Theme {
  const value = cookies.get(THEME_COOKIE);
  return isTheme(value) ? value : 'system';
}

export function writeTheme(cookies: Cookies, url: URL, theme: Theme): void {
  cookies.set(THEME_COOKIE, theme, {
    path: '/',
    httpOnly: false,
    sameSite: 'lax',
    secure: url.protocol === 'https:',
    maxAge: 60 * 60 * 24 * 365,
  });
}
