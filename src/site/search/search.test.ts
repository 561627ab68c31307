import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/fixture.ts';
import { testEngine } from '../../../test/helpers/db.ts';
import { getPage, inside, textOf } from '../../../test/helpers/html.ts';
import { checkHtml } from '../../../test/helpers/vnu.ts';
import { pageOf, queryOf } from './search.tsx';

const t = useTestApp();
let authorId: string;
const json = (value: unknown) => JSON.stringify(value);

function published(overrides: Parameters<typeof t.factories.publishedPage>[1] = {}) {
  return t.factories.publishedPage(authorId, overrides);
}

const get = (url: string, headers: Record<string, string> = {}) => getPage(t.app, url, headers);

const documents: Record<string, string> = {};

beforeAll(async () => {
  authorId = (await t.factories.admin()).id;
  const services = await published({
    slug: 'leistungen',
    sort_order: 1,
    title: json({ en: 'Services', de: 'Leistungen' }),
  });
  await published({
    slug: 'immobilien',
    parent_id: services.id,
    title: json({ en: 'Real estate', de: 'Immobilien' }),
    content: json({
      en: 'We advise on **buildings**.',
      de: '## Beratung\n\nWir beraten beim Kauf von **Häusern** und [Wohnungen](/wohnungen).',
    }),
  });
  // Only English: its title is shown in English on the German page, marked as such.
  await published({
    slug: 'haus-am-see',
    title: json({ en: 'Haus am See' }),
    content: json({ en: 'A tour of the house by the lake.' }),
  });
  await published({
    slug: 'faq-page',
    title: json({ en: 'Questions', de: 'Fragen' }),
    blocks: json([
      {
        type: 'faq',
        items: [
          {
            question: { en: 'Price?', de: 'Preis?' },
            answer: { en: 'Ask us', de: 'Fragen Sie uns nach dem Rabattcode' },
          },
        ],
      },
    ]),
  });
  // 23 pages that match "Sammelbegriff": three pages of ten.
  for (let i = 1; i <= 23; i++) {
    await published({
      slug: `sammel-${String(i).padStart(2, '0')}`,
      title: json({ en: `Collective ${String(i)}`, de: `Sammelbegriff ${String(i)}` }),
      content: json({ en: 'Text.', de: `Der Sammelbegriff Nummer ${String(i)}.` }),
    });
  }
  await t.factories.page(authorId, {
    slug: 'entwurf',
    status: 'draft',
    title: json({ en: 'Draft house', de: 'Entwurf Haus' }),
  });
});

describe(`the search page on ${testEngine()}`, () => {
  it('finds a German page by a stemmed word, with the title linked, the path and a highlighted snippet', async () => {
    const page = await get(`/de/search?q=${encodeURIComponent('Häuser')}`);
    documents['de results'] = page.body;
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('private, no-cache');
    const { html } = page;
    expect(html.text('h1')).toEqual(['Suche']);
    expect(html.attr('input', { id: 'search-q' }, 'value')).toBe('Häuser');
    expect(html.text('p', { class: 'search-count' })[0]).toBe('Ergebnisse für „Häuser“: 2 Seiten gefunden');
    const items = html.all('ol', { class: 'results' }).flatMap((ol) => inside(ol, 'li'));
    const titles = items.map(
      (li) => inside(li, 'a').map((a) => [textOf(a), a.attribs['href'], a.attribs['lang']])[0],
    );
    expect(titles).toEqual(
      expect.arrayContaining([
        ['Immobilien', '/de/leistungen/immobilien', undefined],
        ['Haus am See', '/de/haus-am-see', 'en'],
      ]),
    );
    expect(html.text('p', { class: 'path' })).toContain('Adresse: /de/leistungen/immobilien');
    expect(page.body).toContain('<mark>Häusern</mark>');
    // The snippet is plain text: no Markdown symbols, the link's text without its target.
    const snippet = html.text('p', { class: 'snippet' }).find((text) => text.includes('Häusern')) ?? '';
    expect(snippet).toContain('Beratung Wir beraten beim Kauf von Häusern und Wohnungen');
    expect(snippet).not.toMatch(/\*\*|#|\]\(/);
    // Drafts are never found.
    expect(page.body).not.toContain('Entwurf');
    expect(page.body).toContain('<meta name="robots" content="noindex, nofollow"/>');
    expect(html.all('link', { rel: 'canonical' })).toHaveLength(0);
  });

  it('finds the text of blocks, and answers the English page in English', async () => {
    const german = await get('/de/search?q=Rabattcode');
    expect(german.html.text('h2')).toEqual(['Fragen']);
    expect(german.body).toContain('<mark>Rabattcode</mark>');
    const english = await get('/en/search?q=lakes');
    documents['en results'] = english.body;
    expect(english.body).toContain('<html lang="en">');
    expect(english.html.text('h1')).toEqual(['Search']);
    expect(english.html.text('p', { class: 'search-count' })[0]).toBe('Results for “lakes”: 1 page found');
    expect(english.html.text('h2')).toEqual(['Haus am See']);
    expect(english.body).toContain('by the <mark>lake</mark>');
  });

  it('paginates: previous and next links, page x of y, and a page past the last', async () => {
    const first = await get('/de/search?q=Sammelbegriff');
    documents['de page 1'] = first.body;
    expect(first.html.text('p', { class: 'search-count' })[0]).toContain('23 Seiten gefunden');
    expect(first.html.all('ol', { class: 'results' }).flatMap((ol) => inside(ol, 'li'))).toHaveLength(10);
    const nav = first.html.one('nav', { class: 'pager' });
    expect(nav.attribs['aria-label']).toBe('Ergebnisseiten');
    expect(textOf(nav)).toBe('Seite 1 von 3 Weiter');
    expect(first.html.attr('a', { rel: 'next' }, 'href')).toBe('/de/search?q=Sammelbegriff&page=2');
    expect(first.html.all('a', { rel: 'prev' })).toHaveLength(0);

    const second = await get('/de/search?q=Sammelbegriff&page=2');
    expect(second.html.one('ol', { class: 'results' }).attribs['start']).toBe('11');
    expect(second.html.attr('a', { rel: 'prev' }, 'href')).toBe('/de/search?q=Sammelbegriff');
    expect(second.html.attr('a', { rel: 'next' }, 'href')).toBe('/de/search?q=Sammelbegriff&page=3');
    const last = await get('/de/search?q=Sammelbegriff&page=3');
    expect(last.html.all('ol', { class: 'results' }).flatMap((ol) => inside(ol, 'li'))).toHaveLength(3);
    expect(last.html.all('a', { rel: 'next' })).toHaveLength(0);
    const pages = new Set([first, second, last].flatMap((p) => p.html.all('h2').map((h) => textOf(h))));
    expect(pages.size).toBe(23);

    const beyond = await get('/de/search?q=Sammelbegriff&page=9');
    documents['de beyond'] = beyond.body;
    expect(beyond.status).toBe(200);
    expect(beyond.body).toContain('Auf dieser Seite gibt es keine weiteren Ergebnisse.');
    expect(beyond.html.attr('a', { rel: 'prev' }, 'href')).toBe('/de/search?q=Sammelbegriff&page=3');
    // A page number that is not one is the first page.
    for (const page of ['0', '-1', 'zwei', '1e3']) {
      const answer = await get(`/de/search?q=Sammelbegriff&page=${page}`);
      expect(answer.html.all('a', { rel: 'prev' }), page).toHaveLength(0);
    }
  });

  it('says when nothing matches, and asks for words when there is no query', async () => {
    const none = await get('/de/search?q=Zeppelinfahrt');
    documents['de none'] = none.body;
    expect(none.status).toBe(200);
    expect(none.html.text('p', { class: 'notice' })).toEqual([
      'Keine Seite passt zu „Zeppelinfahrt“. Versuchen Sie weniger oder andere Wörter.',
    ]);
    expect(none.html.all('ol')).toHaveLength(0);
    for (const url of ['/en/search', '/en/search?q=', '/en/search?q=%20%20']) {
      const empty = await get(url);
      documents[`en empty ${url}`] = empty.body;
      expect(empty.status, url).toBe(200);
      expect(empty.body, url).toContain('Enter a word or two to search the pages of this site.');
      expect(empty.html.attr('input', { id: 'search-q' }, 'value'), url).toBe('');
      expect(empty.body).toContain('<meta name="robots" content="noindex, nofollow"/>');
    }
  });

  it('answers a too long query with the page in its language: 400, the reason tied to the field', async () => {
    const long = 'Haus '.repeat(50).trim();
    for (const [lang, text] of [
      ['de', 'Ihre Suche ist 249 Zeichen lang. Bitte geben Sie höchstens 200 Zeichen ein.'],
      ['en', 'Your search is 249 characters long. Please enter at most 200 characters.'],
    ] as const) {
      const page = await get(`/${lang}/search?q=${encodeURIComponent(long)}`);
      documents[`${lang} too long`] = page.body;
      expect(page.status).toBe(400);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.html.text('p', { id: 'search-q-error' })).toEqual([text]);
      const input = page.html.one('input', { id: 'search-q' });
      expect(input.attribs['aria-invalid']).toBe('true');
      expect(input.attribs['aria-describedby']).toBe('search-q-error');
      expect(input.attribs['value']).toBe(long);
      expect(page.html.all('ol')).toHaveLength(0);
    }
  });

  it('escapes the query everywhere it is shown', async () => {
    const q = '<script>alert(1)</script> "x" $& {q}';
    const page = await get(`/de/search?q=${encodeURIComponent(q)}`);
    documents['de script'] = page.body;
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).toContain('&lt;script>alert(1)&lt;/script>');
    expect(page.html.attr('input', { id: 'search-q' }, 'value')).toBe(q);
    expect(page.html.text('p', { class: 'notice' })[0]).toBe(
      `Keine Seite passt zu „${q}“. Versuchen Sie weniger oder andere Wörter.`,
    );
    expect(page.html.text('title')[0]).toBe(`Suche: ${q} – voltAIc Systems`);
  });

  it('links the other language with the same query, and sends 304 for an unchanged page', async () => {
    const page = await get('/de/search?q=Sammelbegriff');
    expect(page.html.attr('a', { class: 'lang' }, 'href')).toBe(
      `/language/en?next=${encodeURIComponent('/en/search?q=Sammelbegriff')}`,
    );
    const etag = String(page.headers['etag']);
    const again = await get('/de/search?q=Sammelbegriff', { 'if-none-match': etag });
    expect(again.status).toBe(304);
  });

  it('shows a page published later once it is published (the kept copy is dropped)', async () => {
    const before = await get('/en/search?q=kangaroo');
    expect(before.html.all('ol')).toHaveLength(0);
    await published({ slug: 'kangaroo', title: json({ en: 'Kangaroo', de: 'Känguru' }) });
    let after = await get('/en/search?q=kangaroo');
    for (let i = 0; i < 50 && after.html.all('ol').length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await get('/en/search?q=kangaroo');
    }
    expect(after.html.text('h2')).toEqual(['Kangaroo']);
  });

  it('reads the query and page number defensively', () => {
    expect(queryOf(['  a   b ', 'c'])).toBe('a b');
    expect(queryOf(undefined)).toBe('');
    expect(queryOf({ x: 1 })).toBe('');
    expect(pageOf('3')).toBe(3);
    expect(pageOf(['2', '5'])).toBe(2);
    expect(pageOf('999999')).toBe(1000);
    expect(pageOf('0')).toBe(1);
    expect(pageOf('2.5')).toBe(1);
  });

  it('is valid HTML (W3C Nu Html Checker)', async () => {
    expect(Object.keys(documents).length).toBeGreaterThanOrEqual(8);
    expect(await checkHtml(documents)).toEqual([]);
  }, 120_000);
});
