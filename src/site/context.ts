import type { Locale } from '../platform/i18n/index.ts';
import type { SiteAssets } from './assets.ts';
import type { Messages } from './messages.ts';

/** A link of the site's menus, already in the page's language. */
export interface NavLink {
  label: string;
  /** A site path without the language ("/services") or a full URL. */
  href: string;
}

/** What every page of the site is rendered with: the language, its words, and the site's frame. */
export interface SiteContext {
  lang: Locale;
  t: Messages;
  assets: SiteAssets;
  /** The address people use, without a trailing slash (PUBLIC_URL). */
  origin: string;
  siteTitle: string;
  contactEmail: string;
  /** The top level of the page tree. */
  nav: NavLink[];
  footerText: string;
  footerLinks: NavLink[];
}

/** The other language of the two. */
export function otherLang(lang: Locale): Locale {
  return lang === 'en' ? 'de' : 'en';
}

/** A site path in a language: "/services" → "/de/services"; "" or "/" is the language's home. */
export function localPath(lang: Locale, path: string): string {
  if (/^(https?:|mailto:|#)/.test(path) || /^\/(en|de)(\/|$)/.test(path)) return path;
  const rest = path === '/' ? '' : path;
  return `/${lang}${rest === '' ? '/' : rest}`;
}
