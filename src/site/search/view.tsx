import type { Locale } from '../../platform/i18n/index.ts';
import type { SiteContext } from '../context.ts';
import { Document } from '../layout.tsx';
import { SearchForm } from '../views/pages.tsx';
import { fill, SEARCH_MESSAGES } from './messages.ts';

/** A search result as the page shows it. */
export interface ResultView {
  title: string;
  /** Set when the title is in another language than the page (an untranslated title). */
  titleLang: Locale | undefined;
  /** The site path with the language ("/de/services/ai-audit"). */
  href: string;
  /** HTML from the pages module: escaped text, hits in <mark>. */
  snippet: string;
  snippetLang: Locale | undefined;
}

/** What the search page shows: nothing asked yet, a query too long, or a page of results. */
export type SearchView =
  | { kind: 'empty' }
  | { kind: 'too_long'; q: string; max: number }
  | { kind: 'results'; q: string; page: number; perPage: number; total: number; results: ResultView[] };

/** Numbers as each language writes them (made once: a formatter costs more to make than to use). */
const NUMBERS: Record<Locale, Intl.NumberFormat> = {
  en: new Intl.NumberFormat('en-GB'),
  de: new Intl.NumberFormat('de-DE'),
};

/** The address of a page of results for `q`. */
export function searchHref(lang: Locale, q: string, page = 1): string {
  const params = new URLSearchParams({ q });
  if (page > 1) params.set('page', String(page));
  return `/${lang}/search?${params.toString()}`;
}

function Pagination({ ctx, q, page, pages }: { ctx: SiteContext; q: string; page: number; pages: number }) {
  const { t, lang } = ctx;
  return (
    <nav class="pager" aria-label={t.pagination}>
      {page > 1 && (
        <>
          <a href={searchHref(lang, q, Math.min(page - 1, pages))} rel="prev">
            {t.previous}
          </a>{' '}
        </>
      )}
      <span>{fill(t.pageOf, { page, pages })}</span>
      {page < pages && (
        <>
          {' '}
          <a href={searchHref(lang, q, page + 1)} rel="next">
            {t.next}
          </a>
        </>
      )}
    </nav>
  );
}

function Results({ ctx, view }: { ctx: SiteContext; view: Extract<SearchView, { kind: 'results' }> }) {
  const { t, lang } = ctx;
  const s = SEARCH_MESSAGES[lang];
  const { q, page, perPage, total, results } = view;
  const pages = Math.max(1, Math.ceil(total / perPage));
  const count = NUMBERS[lang].format(total);
  if (total === 0) {
    return <p class="notice">{fill(t.searchNone, { q })}</p>;
  }
  return (
    <>
      <p class="search-count">
        <strong>{fill(t.searchResultsFor, { q })}</strong>:{' '}
        {total === 1 ? t.searchCountOne : fill(t.searchCount, { total: count })}
      </p>
      {results.length > 0 ? (
        <ol class="results" start={(page - 1) * perPage + 1}>
          {results.map((result) => (
            <li key={result.href}>
              <h2>
                <a href={result.href} lang={result.titleLang}>
                  {result.title}
                </a>
              </h2>
              <p class="path">
                <span class="visually-hidden">{s.address} </span>
                {result.href}
              </p>
              {result.snippet && (
                <p
                  class="snippet"
                  lang={result.snippetLang}
                  dangerouslySetInnerHTML={{ __html: result.snippet }}
                />
              )}
            </li>
          ))}
        </ol>
      ) : (
        <p class="notice">
          {s.pageEmpty} <a href={searchHref(lang, q)}>{s.firstPage}</a>
        </p>
      )}
      {(pages > 1 || page > 1) && <Pagination ctx={ctx} q={q} page={page} pages={pages} />}
    </>
  );
}

/**
 * The search page: the form (filled with the query), then the results of one page with their count, titles,
 * addresses and highlighted snippets, and links to the previous and next pages. Never indexed.
 */
export function SearchPage({ ctx, view }: { ctx: SiteContext; view: SearchView }) {
  const { t, lang } = ctx;
  const s = SEARCH_MESSAGES[lang];
  const q = view.kind === 'empty' ? '' : view.q;
  const error =
    view.kind === 'too_long' ? fill(s.tooLongError, { length: view.q.length, max: view.max }) : undefined;
  return (
    <Document
      ctx={ctx}
      head={{ title: q ? fill(s.titleFor, { q: q.slice(0, 80) }) : t.searchTitle, noindex: true }}
      twin={view.kind === 'results' ? `/search?${new URLSearchParams({ q }).toString()}` : '/search'}
    >
      <h1>{t.searchTitle}</h1>
      <SearchForm ctx={ctx} q={q} error={error} />
      {view.kind === 'empty' && <p>{t.searchEmpty}</p>}
      {view.kind === 'results' && <Results ctx={ctx} view={view} />}
    </Document>
  );
}
