import type { LiveEntry } from '../modules/pages/index.ts';
import { LOCALES } from '../platform/i18n/index.ts';
import { localPath } from './context.ts';

function xml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${String(c.charCodeAt(0))};`);
}

/**
 * sitemap.xml: every public page in both languages, each naming its twins (hreflang en, de, x-default) and
 * when it last changed. Drafts, scheduled and archived pages are never public, so never listed. The home
 * page is listed at its address ("/en/"), not its slug.
 */
export function sitemapXml(origin: string, entries: LiveEntry[], home: string): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
  ];
  for (const entry of entries) {
    const path = entry.path === `/${home}` ? '/' : entry.path;
    const alternates = [
      ...LOCALES.map((lang) => ({ lang, href: `${origin}${localPath(lang, path)}` })),
      { lang: 'x-default', href: `${origin}${localPath('en', path)}` },
    ];
    for (const lang of LOCALES) {
      lines.push('  <url>');
      lines.push(`    <loc>${xml(`${origin}${localPath(lang, path)}`)}</loc>`);
      lines.push(`    <lastmod>${entry.updated_at}</lastmod>`);
      for (const alt of alternates) {
        lines.push(`    <xhtml:link rel="alternate" hreflang="${alt.lang}" href="${xml(alt.href)}"/>`);
      }
      lines.push('  </url>');
    }
  }
  lines.push('</urlset>', '');
  return lines.join('\n');
}

/** robots.txt: everything but the back office, the API, search results and the language switch. */
export function robotsTxt(origin: string): string {
  return [
    'User-agent: *',
    'Disallow: /admin/',
    'Disallow: /api/',
    'Disallow: /language/',
    'Disallow: /en/search',
    'Disallow: /de/search',
    '',
    `Sitemap: ${origin}/sitemap.xml`,
    '',
  ].join('\n');
}
