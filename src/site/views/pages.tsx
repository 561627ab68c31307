import type { PublicConsultant } from '../../modules/consultants/index.ts';
import { Blocks } from '../blocks/index.tsx';
import { Markdown } from '../blocks/Markdown.tsx';
import type { ResolvedBlock } from '../blocks/types.ts';
import { localPath, otherLang, type NavLink, type SiteContext } from '../context.ts';
import type { MediaMap } from '../image.tsx';
import { Document } from '../layout.tsx';
import { plainText, shorten } from '../markdown.ts';

/** A published page as the content view needs it, its texts in the page's language. */
export interface ContentView {
  id: string;
  /** Its site path ("/" for the home page). */
  address: string;
  title: string;
  excerpt: string | null;
  content: string | null;
  metaTitle: string | null;
  metaDescription: string | null;
  canonical: string | null;
  ogImage: string | undefined;
  publishedAt: string | null;
  updatedAt: string;
  /** Which of its own texts are shown in the other language for want of one in the page's. */
  fallback: { title: boolean; content: boolean; excerpt: boolean };
}

interface ContentProps {
  ctx: SiteContext;
  /** A staff preview: marked as such, never indexed. */
  preview?: boolean;
  page: ContentView;
  blocks: ResolvedBlock[];
  fallbackBlocks: ReadonlySet<number>;
  media: MediaMap;
  consultants: ReadonlyMap<string, PublicConsultant>;
  crumbs: { title: string; path: string }[];
  children: NavLink[];
}

function Breadcrumbs({
  ctx,
  crumbs,
  current,
}: {
  ctx: SiteContext;
  crumbs: { title: string; path: string }[];
  current: string;
}) {
  return (
    <nav class="crumbs" aria-label={ctx.t.breadcrumbs}>
      <ol>
        <li>
          <a href={localPath(ctx.lang, '/')}>{ctx.t.home}</a>
        </li>
        {crumbs.map((crumb) => (
          <li key={crumb.path}>
            <a href={localPath(ctx.lang, crumb.path)}>{crumb.title}</a>
          </li>
        ))}
        <li aria-current="page">{current}</li>
      </ol>
    </nav>
  );
}

/** A page of the page tree: breadcrumbs, title, excerpt, Markdown content, its blocks, its section's pages. */
export function ContentPage({
  ctx,
  preview = false,
  page,
  blocks,
  fallbackBlocks,
  media,
  consultants,
  crumbs,
  children,
}: ContentProps) {
  const { lang, origin } = ctx;
  const isHome = page.address === '/';
  const description =
    page.metaDescription ??
    (page.excerpt
      ? shorten(plainText(page.excerpt), 160)
      : page.content
        ? shorten(plainText(page.content), 160)
        : undefined);
  const url = `${origin}${localPath(lang, page.address)}`;
  const jsonLd: object[] = [
    {
      '@context': 'https://schema.org',
      '@type': 'WebPage',
      name: page.title,
      url,
      inLanguage: lang,
      ...(description ? { description } : {}),
      ...(page.publishedAt ? { datePublished: page.publishedAt } : {}),
      dateModified: page.updatedAt,
    },
  ];
  if (isHome) {
    jsonLd.push({
      '@context': 'https://schema.org',
      '@type': 'Organization',
      name: ctx.siteTitle,
      url: `${origin}/`,
      email: ctx.contactEmail,
    });
  } else {
    jsonLd.push({
      '@context': 'https://schema.org',
      '@type': 'BreadcrumbList',
      itemListElement: [
        { title: ctx.t.home, path: '/' },
        ...crumbs,
        { title: page.title, path: page.address },
      ].map((crumb, index) => ({
        '@type': 'ListItem',
        position: index + 1,
        name: crumb.title,
        item: `${origin}${localPath(lang, crumb.path)}`,
      })),
    });
  }
  // A page that opens with a hero shows it as its title: the hero's heading is the page's h1.
  const heroFirst = blocks[0]?.type === 'hero';
  const anyFallback = page.fallback.title || page.fallback.content || fallbackBlocks.size > 0;
  /** The language a text in want of one in `lang` is shown in (the lang attribute screen readers follow). */
  const other = otherLang(lang);
  return (
    <Document
      ctx={ctx}
      current={page.address}
      head={{
        title: page.metaTitle ?? page.title,
        description,
        path: page.address,
        canonical: page.canonical,
        image: page.ogImage,
        ogType: isHome ? 'website' : 'article',
        jsonLd,
        noindex: preview,
      }}
    >
      {preview && (
        <p class="notice preview" role="status">
          {ctx.t.previewNotice}
        </p>
      )}
      {!isHome && <Breadcrumbs ctx={ctx} crumbs={crumbs} current={page.title} />}
      {heroFirst ? (
        <Blocks
          blocks={blocks.slice(0, 1)}
          fallback={fallbackBlocks}
          ctx={ctx}
          media={media}
          consultants={consultants}
          title
        />
      ) : (
        <h1 lang={page.fallback.title ? other : undefined}>{page.title}</h1>
      )}
      {anyFallback && <p class="notice">{ctx.t.untranslated}</p>}
      {page.excerpt && (
        <p class="lead" lang={page.fallback.excerpt ? other : undefined}>
          {plainText(page.excerpt)}
        </p>
      )}
      {page.content && (
        <div lang={page.fallback.content ? other : undefined}>
          <Markdown source={page.content} />
        </div>
      )}
      <Blocks
        blocks={heroFirst ? blocks.slice(1) : blocks}
        offset={heroFirst ? 1 : 0}
        fallback={fallbackBlocks}
        ctx={ctx}
        media={media}
        consultants={consultants}
      />
      {children.length > 0 && (
        <nav class="subnav" aria-labelledby="subnav-title">
          <h2 id="subnav-title">{ctx.t.sectionNavigation}</h2>
          <ul>
            {children.map((child) => (
              <li key={child.href}>
                <a href={localPath(lang, child.href)}>{child.label}</a>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </Document>
  );
}

export function NotFoundPage({ ctx }: { ctx: SiteContext }) {
  return (
    <Document ctx={ctx} head={{ title: ctx.t.notFoundTitle, noindex: true }}>
      <h1>{ctx.t.notFoundTitle}</h1>
      <p>{ctx.t.notFoundText}</p>
      <p>
        <a class="button" href={localPath(ctx.lang, '/')}>
          {ctx.t.notFoundHome}
        </a>
      </p>
      <SearchForm ctx={ctx} />
    </Document>
  );
}

export function ErrorPage({ ctx }: { ctx: SiteContext }) {
  return (
    <Document ctx={ctx} head={{ title: ctx.t.errorTitle, noindex: true }}>
      <h1>{ctx.t.errorTitle}</h1>
      <p>{ctx.t.errorText}</p>
      <p>
        <a href={localPath(ctx.lang, '/')}>{ctx.t.notFoundHome}</a>
      </p>
    </Document>
  );
}

/**
 * The search form of the 404 and search pages (the header has a small one too). An `error` is shown between the
 * label and the field and tied to the field (aria-describedby, aria-invalid).
 */
export function SearchForm({
  ctx,
  q = '',
  error,
}: {
  ctx: SiteContext;
  q?: string;
  error?: string | undefined;
}) {
  return (
    <form role="search" action={localPath(ctx.lang, '/search')} method="get" class="search-form">
      <label for="search-q">{ctx.t.searchLabel}</label>{' '}
      {error && (
        <p id="search-q-error" class="field-error">
          {error}
        </p>
      )}
      <input
        id="search-q"
        type="search"
        name="q"
        value={q}
        maxLength={200}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? 'search-q-error' : undefined}
      />{' '}
      <button type="submit">{ctx.t.searchSubmit}</button>
    </form>
  );
}
