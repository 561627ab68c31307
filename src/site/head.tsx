import type { Locale } from '../platform/i18n/index.ts';
import { localPath, type SiteContext } from './context.ts';

/** What a page tells search engines and link previews about itself. */
export interface PageHead {
  title: string;
  description?: string | undefined;
  /** The site path without the language ("/services"); undefined: the page has no address of its own (404). */
  path?: string | undefined;
  /** An absolute canonical URL the editors set; else the page's own address. */
  canonical?: string | null | undefined;
  /** Not to be indexed (search results, drafts, errors, booking steps). */
  noindex?: boolean | undefined;
  /** An absolute or site-relative image for link previews. */
  image?: string | undefined;
  ogType?: 'website' | 'article' | 'profile' | undefined;
  /** Structured data (schema.org), one object per script. */
  jsonLd?: object[] | undefined;
}

const OG_LOCALE: Record<Locale, string> = { en: 'en_US', de: 'de_DE' };

/** JSON for a script element: nothing in it can close the element or start a comment. */
function scriptJson(value: object): string {
  return JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}

function absolute(origin: string, url: string): string {
  return /^https?:\/\//.test(url) ? url : `${origin}${url.startsWith('/') ? '' : '/'}${url}`;
}

/** The head's meta data: title, description, canonical and language alternates, Open Graph, JSON-LD. */
export function HeadTags({ ctx, head }: { ctx: SiteContext; head: PageHead }) {
  const { origin, lang } = ctx;
  const fullTitle = head.title === ctx.siteTitle ? head.title : `${head.title} – ${ctx.siteTitle}`;
  const own = head.path === undefined ? undefined : `${origin}${localPath(lang, head.path)}`;
  const canonical = head.canonical ?? own;
  const image = head.image ? absolute(origin, head.image) : undefined;
  return (
    <>
      <title>{fullTitle}</title>
      {head.description && <meta name="description" content={head.description} />}
      {head.noindex && <meta name="robots" content="noindex, nofollow" />}
      {canonical && !head.noindex && <link rel="canonical" href={canonical} />}
      {head.path !== undefined && !head.noindex && (
        <>
          <link rel="alternate" hrefLang="en" href={`${origin}${localPath('en', head.path)}`} />
          <link rel="alternate" hrefLang="de" href={`${origin}${localPath('de', head.path)}`} />
          <link rel="alternate" hrefLang="x-default" href={`${origin}${localPath('en', head.path)}`} />
        </>
      )}
      <meta property="og:site_name" content={ctx.siteTitle} />
      <meta property="og:title" content={head.title} />
      {head.description && <meta property="og:description" content={head.description} />}
      <meta property="og:type" content={head.ogType ?? 'website'} />
      <meta property="og:locale" content={OG_LOCALE[lang]} />
      <meta property="og:locale:alternate" content={OG_LOCALE[lang === 'en' ? 'de' : 'en']} />
      {canonical && <meta property="og:url" content={canonical} />}
      {image && <meta property="og:image" content={image} />}
      <meta name="twitter:card" content={image ? 'summary_large_image' : 'summary'} />
      <meta name="twitter:title" content={head.title} />
      {head.description && <meta name="twitter:description" content={head.description} />}
      {image && <meta name="twitter:image" content={image} />}
      {(head.jsonLd ?? []).map((data, index) => (
        <script
          key={index}
          type="application/ld+json"
          dangerouslySetInnerHTML={{ __html: scriptJson(data) }}
        />
      ))}
    </>
  );
}
