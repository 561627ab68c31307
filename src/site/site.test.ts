import { randomUUID } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/fixture.ts';
import { testEngine } from '../../test/helpers/db.ts';
import { getPage, Html, inside, textOf } from '../../test/helpers/html.ts';

const t = useTestApp();
let authorId: string;
const json = (value: unknown) => JSON.stringify(value);

function published(overrides: Parameters<typeof t.factories.publishedPage>[1] = {}) {
  return t.factories.publishedPage(authorId, overrides);
}

const get = (url: string, headers: Record<string, string> = {}) => getPage(t.app, url, headers);

/** Asks until `check` holds: the cache drops its copy when the NOTIFY of a commit arrives, a moment later. */
async function eventually<T>(ask: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const end = Date.now() + 5000;
  let value = await ask();
  while (!check(value) && Date.now() < end) {
    await new Promise((resolve) => setImmediate(resolve));
    value = await ask();
  }
  return value;
}

async function image(alt: string): Promise<string> {
  const row = await t.database.db
    .insertInto('media_files')
    .values({
      filename: `${randomUUID()}.png`,
      original_filename: 'team.png',
      file_path: `media/${randomUUID()}.png`,
      file_size: 100,
      mime_type: 'image/png',
      width: 2000,
      height: 1000,
      alt_text: json({ en: alt, de: `${alt} (de)` }),
      uploaded_by: authorId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

beforeAll(async () => {
  authorId = (await t.factories.admin()).id;
  await published({ slug: 'home', title: json({ en: 'Welcome', de: 'Willkommen' }), sort_order: -10 });
});

describe(`the website's pages on ${testEngine()}`, () => {
  it('renders a German page with English fallbacks marked lang="en", and escapes what editors wrote', async () => {
    const parent = await published({ slug: 'services', title: json({ en: 'Services', de: 'Leistungen' }) });
    await published({
      slug: 'ai-audit',
      parent_id: parent.id,
      title: json({ en: 'AI audit', de: 'KI-Audit' }),
      content: json({
        en: 'We audit **AI** systems.',
        de: 'Wir prüfen **KI**-Systeme. <script>alert(1)</script> [klick](javascript:alert(1))',
      }),
      blocks: json([
        { type: 'hero', heading: { en: 'Hello', de: 'Hallo' } },
        { type: 'faq', items: [{ question: { en: 'Why?' }, answer: { en: 'Because.' } }] },
      ]),
    });
    const page = await get('/de/services/ai-audit');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = page.html;
    expect(html.one('html').attribs['lang']).toBe('de');
    // The page opens with a hero: its heading is the page's one h1; the title names the page.
    expect(html.text('h1')).toEqual(['Hallo']);
    expect(html.text('title')).toEqual(['KI-Audit – voltAIc Systems']);
    // Raw HTML and javascript: links in Markdown stay text.
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.all('a', { href: 'javascript:alert(1)' })).toHaveLength(0);
    // The FAQ has no German: its block says it is English, and the page says so once.
    const faq = html.all('div', { class: 'block block-faq' })[0];
    expect(faq?.attribs['lang']).toBe('en');
    expect(html.all('div', { class: 'block block-hero' })[0]?.attribs['lang']).toBeUndefined();
    expect(html.text('p', { class: 'notice' })).toHaveLength(1);
    // Breadcrumbs and the menu (top level, the home page not repeated), the current section marked.
    const crumbs = html.one('nav', { class: 'crumbs', 'aria-label': 'Sie sind hier' });
    expect(crumbs.children.length).toBe(1);
    expect(html.text('li', { 'aria-current': 'page' })).toEqual(['KI-Audit']);
    expect(html.all('a', { href: '/de/services' }).length).toBeGreaterThanOrEqual(2);
    const menu = html.all('nav', { class: 'nav' })[0];
    expect(menu).toBeDefined();
    expect(html.all('a', { href: '/de/services', 'aria-current': 'true' })).toHaveLength(1);
    expect(html.all('a', { href: '/de/home' })).toHaveLength(0);
    // The language switch leads to the English twin through the saved choice.
    expect(html.attr('a', { class: 'lang' }, 'href')).toBe('/language/en?next=%2Fen%2Fservices%2Fai-audit');
    // The parent lists its section's pages.
    const services = (await get('/en/services')).html;
    expect(services.text('nav', { class: 'subnav' })[0]).toContain('AI audit');
  });

  it('gives every page its SEO head: title, description, canonical, hreflang twins, Open Graph, JSON-LD', async () => {
    await published({
      slug: 'seo-page',
      title: json({ en: 'Consulting', de: 'Beratung' }),
      meta_title: json({ en: 'AI consulting in Munich' }),
      meta_description: json({ en: 'What we do', de: 'Was wir tun' }),
      content: json({ en: 'Plain **bold** text', de: 'Einfacher **fetter** Text' }),
    });
    const html = (await get('/de/seo-page')).html;
    expect(html.text('title')).toEqual(['AI consulting in Munich – voltAIc Systems']);
    expect(html.attr('meta', { name: 'description' }, 'content')).toBe('Was wir tun');
    expect(html.attr('link', { rel: 'canonical' }, 'href')).toBe('http://127.0.0.1:3000/de/seo-page');
    const alternates = html
      .all('link', { rel: 'alternate' })
      .map((link) => [link.attribs['hreflang'], link.attribs['href']]);
    expect(alternates).toEqual([
      ['en', 'http://127.0.0.1:3000/en/seo-page'],
      ['de', 'http://127.0.0.1:3000/de/seo-page'],
      ['x-default', 'http://127.0.0.1:3000/en/seo-page'],
    ]);
    expect(html.attr('meta', { property: 'og:locale' }, 'content')).toBe('de_DE');
    expect(html.attr('meta', { name: 'twitter:card' }, 'content')).toBe('summary');
    const data = html
      .text('script', { type: 'application/ld+json' })
      .map((text) => JSON.parse(text) as { '@type': string });
    expect(data.map((d) => d['@type'])).toEqual(['WebPage', 'BreadcrumbList']);
    expect(html.all('meta', { name: 'robots' })).toHaveLength(0);
    // Without a meta description, the content's words without Markdown symbols.
    await published({ slug: 'no-meta', content: json({ en: 'Plain **bold** text' }) });
    const plain = (await get('/en/no-meta')).html;
    expect(plain.attr('meta', { name: 'description' }, 'content')).toBe('Plain bold text');
  });

  it('shows images from the library with width, height and a srcset of the WebP variants, lazy below the fold', async () => {
    const first = await image('Our team');
    const second = await image('Our office');
    await t.database.db
      .updateTable('media_files')
      .set({
        variants: json([
          { width: 320, height: 160, size: 10, path: 'v/320.webp' },
          { width: 768, height: 384, size: 20, path: 'v/768.webp' },
        ]),
      })
      .where('id', 'in', [first, second])
      .execute();
    await published({
      slug: 'with-images',
      blocks: json([
        { type: 'hero', heading: { en: 'Hi' }, media_id: first },
        { type: 'image', media_id: second, caption: { en: 'The office' } },
      ]),
    });
    const html = (await get('/en/with-images')).html;
    const [hero, below] = html.all('img');
    expect(hero?.attribs).toMatchObject({
      alt: 'Our team',
      width: '2000',
      height: '1000',
      fetchpriority: 'high',
      srcset: `/api/v1/media/${first}/variants/320 320w, /api/v1/media/${first}/variants/768 768w, /api/v1/media/${first}/file 2000w`,
    });
    expect(hero?.attribs['loading']).toBeUndefined();
    expect(below?.attribs).toMatchObject({ alt: 'Our office', loading: 'lazy' });
    expect(html.text('figcaption')).toEqual(['The office']);
    // A change of the alt text in the library reaches the cached page.
    await t.database.db
      .updateTable('media_files')
      .set({ alt_text: json({ en: 'The whole team', de: 'Das ganze Team' }) })
      .where('id', '=', first)
      .execute();
    const changed = await eventually(
      () => get('/en/with-images'),
      (page) => page.body.includes('The whole team'),
    );
    expect(changed.html.all('img')[0]?.attribs['alt']).toBe('The whole team');
  });

  it('serves the home page at /{lang}/ and sends / to the saved or the preferred language', async () => {
    const home = await get('/de/');
    expect(home.status).toBe(200);
    expect(home.html.text('h1')).toEqual(['Willkommen']);
    expect(home.html.attr('link', { rel: 'canonical' }, 'href')).toBe('http://127.0.0.1:3000/de/');
    expect((await get('/de/home')).headers['location']).toBe('/de/');
    expect((await get('/de')).headers['location']).toBe('/de/');
    const root = await get('/', { 'accept-language': 'de-DE,de;q=0.9,en;q=0.8' });
    expect([root.status, root.headers['location']]).toEqual([302, '/de/']);
    expect(String(root.headers['vary'])).toContain('Accept-Language');
    expect((await get('/', { 'accept-language': 'fr' })).headers['location']).toBe('/en/');
    expect((await get('/', { 'accept-language': 'de', cookie: 'site_lang=en' })).headers['location']).toBe(
      '/en/',
    );
  });

  it('saves the language chosen in the switch and only ever sends to this site', async () => {
    const chosen = await get('/language/de?next=%2Fde%2Fservices');
    expect([chosen.status, chosen.headers['location']]).toEqual([303, '/de/services']);
    expect(String(chosen.headers['set-cookie'])).toMatch(
      /^site_lang=de; Max-Age=31536000; Path=\/; HttpOnly; SameSite=Lax/,
    );
    for (const next of [
      '//evil.example/',
      '/de//evil.example',
      'https://evil.example/',
      '/en/services',
      '/de\\evil',
    ]) {
      const answer = await get(`/language/de?next=${encodeURIComponent(next)}`);
      expect(answer.headers['location'], next).toBe('/de/');
    }
    expect((await get('/language/fr')).headers['location']).toBe('/');
  });

  it('redirects a page reached by an old path or a trailing slash to its address', async () => {
    const parent = await published({ slug: 'about' });
    await published({ slug: 'team', parent_id: parent.id });
    expect([(await get('/en/team')).status, (await get('/en/team')).headers['location']]).toEqual([
      301,
      '/en/about/team',
    ]);
    expect((await get('/en/other/team')).headers['location']).toBe('/en/about/team');
    expect((await get('/en/about/team/')).headers['location']).toBe('/en/about/team');
  });

  it('answers the bilingual 404 page for unknown, unpublished and malformed paths, never indexed', async () => {
    const draft = await t.factories.page(authorId, { status: 'draft' });
    const parentDraft = await t.factories.page(authorId, { status: 'draft', slug: 'hidden-parent' });
    await published({ slug: 'under-draft', parent_id: parentDraft.id });
    for (const path of [
      '/de/nope',
      `/de/${draft.slug}`,
      '/de/hidden-parent/under-draft',
      '/de/UPPER',
      '/de/a%20b',
      '/de/x.php',
    ]) {
      const answer = await get(path);
      expect(answer.status, path).toBe(404);
      expect(answer.html.text('h1'), path).toEqual(['Seite nicht gefunden']);
      expect(answer.html.attr('meta', { name: 'robots' }, 'content')).toBe('noindex, nofollow');
    }
    expect((await get('/en/nope')).html.text('h1')).toEqual(['Page not found']);
    // Without a language: a browser is sent to the path in its language, or gets the 404 page; the API stays JSON.
    const html = { accept: 'text/html,application/xhtml+xml', 'accept-language': 'de' };
    expect((await get('/services/ai-audit', html)).headers['location']).toBe('/de/services/ai-audit');
    const odd = await get('/wp-login.php', html);
    expect([odd.status, odd.html.text('h1')]).toEqual([404, ['Seite nicht gefunden']]);
    for (const url of ['/api/v1/nope', '/services']) {
      const api = await get(url, url.startsWith('/api') ? html : {});
      expect([api.status, JSON.parse(api.body)], url).toMatchObject([404, { error: { code: 'not_found' } }]);
    }
  });

  it('sends an ETag and 304 for a page the browser has, and compresses with brotli or gzip', async () => {
    await published({ slug: 'cached', content: json({ en: 'Lorem ipsum '.repeat(300) }) });
    // Once the insert's NOTIFY has dropped what was kept before it, the menu lists the new top-level page too.
    const first = await eventually(
      () => get('/en/cached'),
      (page) => page.body.includes('<a href="/en/cached"'),
    );
    const etag = String(first.headers['etag']);
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    expect((await get('/en/cached', { 'if-none-match': etag })).status).toBe(304);
    const br = await get('/en/cached', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.raw).toString()).toBe(first.body);
    expect((await get('/en/cached', { 'if-none-match': String(br.headers['etag']) })).status).toBe(304);
    const gzip = await get('/en/cached', { 'accept-encoding': 'gzip' });
    expect(gunzipSync(gzip.raw).toString()).toBe(first.body);
    expect(String(gzip.headers['vary'])).toContain('Accept-Encoding');
    // A change anywhere in the pages drops the copy (the NOTIFY of the commit), and the ETag moves.
    await t.database.db
      .updateTable('pages')
      .set({ title: json({ en: 'Cached, changed' }) })
      .where('slug', '=', 'cached')
      .execute();
    const changed = await eventually(
      () => get('/en/cached', { 'if-none-match': etag }),
      (answer) => answer.status === 200,
    );
    expect(changed.html.text('h1')).toEqual(['Cached, changed']);
  });

  it('serves its stylesheet and script by content hash, for good, and security headers on every page', async () => {
    const page = await get('/en/');
    const css = page.html.attr('link', { rel: 'stylesheet' }, 'href') ?? '';
    const js = page.html.all('script', { src: true })[0]?.attribs['src'] ?? '';
    expect(css).toMatch(/^\/assets\/site\.[\w-]{10}\.css$/);
    const sheet = await get(css, { 'accept-encoding': 'br' });
    expect([sheet.status, sheet.headers['content-type'], sheet.headers['cache-control']]).toEqual([
      200,
      'text/css; charset=utf-8',
      'public, max-age=31536000, immutable',
    ]);
    expect((await get(js)).headers['content-type']).toBe('text/javascript; charset=utf-8');
    const icon = page.html.attr('link', { rel: 'icon' }, 'href') ?? '';
    expect((await get(icon)).headers['content-type']).toBe('image/svg+xml');
    expect((await get('/favicon.ico')).headers['location']).toBe(icon);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBeDefined();
  });

  it('lists every public page in both languages in sitemap.xml, with alternates and lastmod, and no draft', async () => {
    const draft = await t.factories.page(authorId, { status: 'draft', slug: 'secret-draft' });
    const answer = await get('/sitemap.xml');
    expect(answer.headers['content-type']).toBe('application/xml; charset=utf-8');
    const xml = new Html(answer.body, true);
    const locs = xml.text('loc');
    expect(locs).toContain('http://127.0.0.1:3000/en/');
    expect(locs).toContain('http://127.0.0.1:3000/de/');
    expect(locs).toContain('http://127.0.0.1:3000/de/services/ai-audit');
    expect(locs).not.toContain('http://127.0.0.1:3000/en/home');
    expect(locs.some((loc) => loc.includes(draft.slug))).toBe(false);
    const url = xml
      .all('url')
      .find((u) =>
        inside(u, 'loc').some((loc) => textOf(loc) === 'http://127.0.0.1:3000/de/services/ai-audit'),
      );
    const links = url ? inside(url, 'xhtml:link') : [];
    expect(links.map((link) => link.attribs['hreflang'])).toEqual(['en', 'de', 'x-default']);
    expect(xml.text('lastmod').every((d) => !Number.isNaN(Date.parse(d)))).toBe(true);
    const robots = await get('/robots.txt');
    expect(robots.body).toContain('Sitemap: http://127.0.0.1:3000/sitemap.xml');
    expect(robots.body).toContain('Disallow: /admin/');
  });
});
