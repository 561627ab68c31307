import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestApp } from '../../../test/fixture.ts';
import { buildTestApp } from '../../../test/helpers/app.ts';
import { as, makeUser, signIn, type Session } from '../../../test/helpers/auth.ts';
import { createTestDatabase, secondConnection, testEngine } from '../../../test/helpers/db.ts';
import { Factories } from '../../../test/helpers/factories.ts';
import type { Database } from '../../platform/db/connection.ts';
import type { Pages } from '../../platform/db/schema.ts';
import type { Insertable } from 'kysely';
import { resolveLanguage } from '../../platform/i18n/index.ts';
import { snippetHtml } from '../pages/index.ts';

const t = useTestApp();
let authorId: string;
let viewer: Session;

const PAST = new Date(Date.now() - 86_400_000);

/** A page the public may see, unless overrides say otherwise. */
function published(overrides: Partial<Insertable<Pages>> = {}) {
  return t.factories.page(authorId, { status: 'published', published_at: PAST, ...overrides });
}

const json = (value: unknown) => JSON.stringify(value);

/** A GET on `on`; `parse` reads the body (JSON, typed as the caller says). */
async function get<T = Record<string, unknown>>(
  url: string,
  on = t.app,
  parse: (text: string) => T = JSON.parse,
): Promise<{ status: number; body: T; headers: Record<string, unknown> }> {
  const response = await on.inject({ method: 'GET', url });
  return { status: response.statusCode, body: parse(response.body), headers: response.headers };
}

beforeAll(async () => {
  authorId = (await t.factories.admin()).id;
  viewer = (await t.as('viewer')).session;
});

describe(`public pages on ${testEngine()}`, () => {
  it('answers published pages only: draft, scheduled, archived, deleted and future ones are not found', async () => {
    const live = await published();
    expect((await get(`/api/v1/public/pages/${live.slug}`)).status).toBe(200);
    const hidden = [
      await t.factories.page(authorId, { status: 'draft' }),
      await t.factories.page(authorId, {
        status: 'scheduled',
        scheduled_at: new Date(Date.now() + 3_600_000),
      }),
      await t.factories.page(authorId, { status: 'archived', published_at: PAST }),
      await published({ deleted_at: new Date() }),
      await published({ published_at: new Date(Date.now() + 3_600_000) }),
      await t.factories.page(authorId, { status: 'published', published_at: null }),
    ];
    for (const page of hidden) {
      const answer = await get<{ error: { code: string } }>(`/api/v1/public/pages/${page.slug}?lang=de`);
      expect([answer.status, answer.body.error.code], page.status).toEqual([404, 'pages.not_found']);
    }
    const unknown = await get<{ error: { code: string; message: string } }>('/api/v1/public/pages/nope');
    expect(unknown.status).toBe(404);
  });

  it('answers German with English where a German field is missing, and names those fields', async () => {
    const page = await published({
      title: json({ en: 'Our services', de: 'Unsere Leistungen' }),
      content: json({ en: 'We audit **AI** systems.' }),
      excerpt: json({ en: 'Short', de: '  ' }),
      meta_title: json({ en: 'Services', de: 'Leistungen' }),
      meta_description: json({ en: 'What we do' }),
      blocks: json([
        { type: 'hero', heading: { en: 'Hello', de: 'Hallo' }, media_id: null },
        { type: 'cta', label: { en: 'Book now' }, url: '/booking' },
        { type: 'list', items: [{ text: { en: 'One', de: 'Eins' } }, { text: { en: 'Two' } }] },
      ]),
    });
    const de = await get(`/api/v1/public/pages/${page.slug}?lang=de`);
    expect(de.status).toBe(200);
    expect(de.body).toMatchObject({
      lang: 'de',
      slug: page.slug,
      path: `/${page.slug}`,
      title: 'Unsere Leistungen',
      content: 'We audit **AI** systems.',
      excerpt: 'Short',
      meta_title: 'Leistungen',
      meta_description: 'What we do',
      blocks: [
        { type: 'hero', heading: 'Hallo', media_id: null },
        { type: 'cta', label: 'Book now', url: '/booking' },
        { type: 'list', items: [{ text: 'Eins' }, { text: 'Two' }] },
      ],
      breadcrumbs: [{ slug: page.slug, title: 'Unsere Leistungen', path: `/${page.slug}` }],
    });
    expect(de.body['fallbacks']).toEqual([
      'excerpt',
      'content',
      'blocks.1.label',
      'blocks.2.items.1.text',
      'meta_description',
    ]);
    expect(typeof de.body['published_at']).toBe('string');
    expect(typeof de.body['updated_at']).toBe('string');

    const en = await get(`/api/v1/public/pages/${page.slug}?lang=en`);
    expect(en.body).toMatchObject({ lang: 'en', title: 'Our services', excerpt: 'Short', fallbacks: [] });
    // Without ?lang, Accept-Language decides.
    const negotiated = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/pages/${page.slug}`,
      headers: { 'accept-language': 'de-DE,de;q=0.9' },
    });
    expect(negotiated.json<{ lang: string }>().lang).toBe('de');
    expect(negotiated.headers['vary']).toMatch(/accept-language/i);
    expect((await get(`/api/v1/public/pages/${page.slug}?lang=fr`)).status).toBe(400);
  });

  it('resolves any {en, de} object at any depth, and leaves other objects alone', () => {
    const fallbacks: string[] = [];
    const value = resolveLanguage(
      { a: { en: 'x' }, b: { en: 'y', de: 'z' }, c: { en: 1 }, d: { other: 'q' }, e: [{ de: 'nur' }] },
      'en',
      fallbacks,
    );
    expect(value).toEqual({ a: 'x', b: 'y', c: { en: 1 }, d: { other: 'q' }, e: ['nur'] });
    expect(fallbacks).toEqual(['e.0']);
  });

  it('answers the full path and breadcrumbs through the parents; under an unpublished parent: not found', async () => {
    const services = await published({ slug: 'services', title: json({ en: 'Services', de: 'Leistungen' }) });
    const audit = await published({
      slug: 'ai-audit',
      parent_id: services.id,
      title: json({ en: 'AI audit' }),
    });
    const answer = await get('/api/v1/public/pages/ai-audit?lang=de');
    expect(answer.body).toMatchObject({
      path: '/services/ai-audit',
      breadcrumbs: [
        { slug: 'services', title: 'Leistungen', path: '/services' },
        { slug: 'ai-audit', title: 'AI audit', path: '/services/ai-audit' },
      ],
      fallbacks: ['breadcrumbs.1.title', 'title'],
    });
    const draft = await t.factories.page(authorId, { status: 'draft' });
    const orphan = await published({ parent_id: draft.id });
    expect((await get(`/api/v1/public/pages/${orphan.slug}`)).status).toBe(404);
    expect(audit.parent_id).toBe(services.id);
  });

  it('sends Cache-Control and an ETag, and 304 when the client has the same answer', async () => {
    const page = await published();
    const first = await t.app.inject({ method: 'GET', url: `/api/v1/public/pages/${page.slug}?lang=de` });
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    const etag = String(first.headers['etag']);
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/pages/${page.slug}?lang=de`,
      headers: { 'if-none-match': etag },
    });
    expect([again.statusCode, again.body]).toEqual([304, '']);
    const english = await t.app.inject({ method: 'GET', url: `/api/v1/public/pages/${page.slug}?lang=en` });
    expect(english.headers['etag']).not.toBe(etag);
  });
});

describe(`navigation on ${testEngine()}`, () => {
  it('is the tree of live pages by sort_order with full paths; an unpublished page hides its subtree', async () => {
    const fresh = await createTestDatabase();
    const instance = await buildTestApp(fresh);
    try {
      const by = (await Factories.for(fresh).admin()).id;
      const make = (overrides: Partial<Insertable<Pages>>) =>
        Factories.for(fresh).page(by, { status: 'published', published_at: PAST, ...overrides });
      const about = await make({ slug: 'about', sort_order: 2, title: json({ en: 'About', de: 'Über' }) });
      const services = await make({ slug: 'services', sort_order: 1, title: json({ en: 'Services' }) });
      await make({
        slug: 'team',
        parent_id: about.id,
        sort_order: 1,
        title: json({ en: 'Team', de: 'Team' }),
      });
      await make({ slug: 'audit', parent_id: services.id, sort_order: 2, title: json({ en: 'Audit' }) });
      await make({
        slug: 'training',
        parent_id: services.id,
        sort_order: 1,
        title: json({ en: 'Training' }),
      });
      const hidden = await Factories.for(fresh).page(by, { slug: 'hidden', status: 'draft' });
      await make({ slug: 'below-hidden', parent_id: hidden.id });

      const nav = await get<{ lang: string; items: unknown[]; fallbacks: string[] }>(
        '/api/v1/public/navigation?lang=de',
        instance,
      );
      expect(nav.status).toBe(200);
      expect(nav.body).toMatchObject({ lang: 'de', parent: null, total: 2 });
      expect(nav.body.items).toEqual([
        {
          id: services.id,
          slug: 'services',
          title: 'Services',
          path: '/services',
          child_count: 2,
          children: [
            expect.objectContaining({
              slug: 'training',
              path: '/services/training',
              child_count: 0,
              children: [],
            }),
            expect.objectContaining({ slug: 'audit', path: '/services/audit', title: 'Audit' }),
          ],
        },
        {
          id: about.id,
          slug: 'about',
          title: 'Über',
          path: '/about',
          child_count: 1,
          children: [expect.objectContaining({ slug: 'team', path: '/about/team', title: 'Team' })],
        },
      ]);
      expect(nav.body.fallbacks).toEqual([
        'items.0.title',
        'items.0.children.0.title',
        'items.0.children.1.title',
      ]);

      // A page published for a moment ahead joins the navigation once that moment passes, with no change.
      await make({ slug: 'soon', sort_order: 3, published_at: new Date(Date.now() + 1500) });
      await vi.waitFor(async () => {
        const before = await get<{ items: { slug: string }[] }>(
          '/api/v1/public/navigation?lang=en',
          instance,
        );
        expect(before.body.items.map((item) => item.slug)).toEqual(['services', 'about']);
      });
      await vi.waitFor(
        async () => {
          const after = await get<{ items: { slug: string }[] }>(
            '/api/v1/public/navigation?lang=en',
            instance,
          );
          expect(after.body.items.map((item) => item.slug)).toEqual(['services', 'about', 'soon']);
        },
        { timeout: 5000, interval: 200 },
      );
    } finally {
      await instance.close();
      await fresh.close();
    }
  });
});

describe(`navigation of a large site on ${testEngine()}`, () => {
  let fresh: Database;
  let instance: FastifyInstance;
  type Item = { slug: string; path: string; child_count: number; children: Item[] };
  type Nav = { parent: string | null; total: number; items: Item[] };

  beforeAll(async () => {
    fresh = await createTestDatabase();
    instance = await buildTestApp(fresh);
    const by = (await Factories.for(fresh).admin()).id;
    const make = (overrides: Partial<Insertable<Pages>>) =>
      Factories.for(fresh).page(by, { status: 'published', published_at: PAST, ...overrides });
    // Three levels: a, b at the top; 60 pages under a; two under a-01; one under a-01-x.
    const a = await make({ slug: 'a', sort_order: 1, title: json({ en: 'A', de: 'A' }) });
    await make({ slug: 'b', sort_order: 2, title: json({ en: 'B', de: 'B' }) });
    const children = [];
    for (let i = 1; i <= 60; i++) {
      const slug = `a-${String(i).padStart(2, '0')}`;
      children.push(await make({ slug, parent_id: a.id, sort_order: i, title: json({ en: slug }) }));
    }
    const first = children[0];
    if (!first) throw new Error('no children');
    const x = await make({ slug: 'a-01-x', parent_id: first.id, sort_order: 1, title: json({ en: 'X' }) });
    await make({ slug: 'a-01-y', parent_id: first.id, sort_order: 2, title: json({ en: 'Y' }) });
    await make({ slug: 'a-01-x-deep', parent_id: x.id, title: json({ en: 'Deep' }) });
    await Factories.for(fresh).page(by, { slug: 'a-draft', parent_id: a.id, status: 'draft' });
  });

  afterAll(async () => {
    await instance.close();
    await fresh.close();
  });

  it('answers two levels and 50 pages under each by default, with how many there are', async () => {
    const nav = await get<Nav>('/api/v1/public/navigation?lang=en', instance);
    expect(nav.status).toBe(200);
    expect(nav.body.total).toBe(2);
    const [a, b] = nav.body.items;
    expect([a?.slug, a?.child_count, a?.children.length]).toEqual(['a', 60, 50]);
    expect(a?.children.at(-1)?.slug).toBe('a-50');
    // The second level is the last: its pages say how many are under them, without them.
    expect(a?.children[0]).toMatchObject({ slug: 'a-01', path: '/a/a-01', child_count: 2, children: [] });
    expect(b).toMatchObject({ slug: 'b', child_count: 0, children: [] });
  });

  it('answers the pages under a parent, as deep and as many as asked', async () => {
    const nav = await get<Nav>('/api/v1/public/navigation?lang=en&parent=a-01&depth=3&limit=1', instance);
    expect(nav.status).toBe(200);
    expect(nav.body).toMatchObject({ parent: 'a-01', total: 2 });
    expect(nav.body.items).toEqual([
      expect.objectContaining({
        slug: 'a-01-x',
        path: '/a/a-01/a-01-x',
        child_count: 1,
        children: [
          expect.objectContaining({ slug: 'a-01-x-deep', path: '/a/a-01/a-01-x/a-01-x-deep', children: [] }),
        ],
      }),
    ]);
    const top = await get<Nav>('/api/v1/public/navigation?depth=1&limit=1', instance);
    expect(top.body.items.map((item) => [item.slug, item.children.length])).toEqual([['a', 0]]);
    expect(top.body.total).toBe(2);
  });

  it('stays small: 10 pages of 60 are a few kilobytes', async () => {
    const nav = await instance.inject({ url: '/api/v1/public/navigation?parent=a&depth=1&limit=10' });
    expect(nav.json<Nav>().items).toHaveLength(10);
    expect(nav.body.length).toBeLessThan(3000);
  });

  it('answers 404 for a parent that is not public, 400 for bad parameters', async () => {
    for (const parent of ['a-draft', 'nothing-here']) {
      const answer = await get<{ error: { code: string } }>(
        `/api/v1/public/navigation?parent=${parent}`,
        instance,
      );
      expect([answer.status, answer.body.error.code], parent).toEqual([404, 'pages.not_found']);
    }
    for (const query of [
      'depth=0',
      'depth=6',
      'depth=two',
      'limit=0',
      'limit=201',
      `parent=${'x'.repeat(201)}`,
    ]) {
      const answer = await get(`/api/v1/public/navigation?${query}`, instance);
      expect(answer.status, query).toBe(400);
    }
  });
});

describe(`search on ${testEngine()}`, () => {
  let search: Database;
  let instance: FastifyInstance;

  beforeAll(async () => {
    search = await createTestDatabase();
    instance = await buildTestApp(search);
    const by = (await Factories.for(search).admin()).id;
    const make = (overrides: Partial<Insertable<Pages>>) =>
      Factories.for(search).page(by, { status: 'published', published_at: PAST, ...overrides });
    // The content hit comes first in insertion order and is newer: only the rank can put the title first.
    await make({
      slug: 'immobilien',
      published_at: new Date(),
      title: json({ en: 'Real estate', de: 'Immobilien' }),
      content: json({
        en: 'We advise on buildings.',
        de: 'Wir beraten beim Kauf von Häusern <script>alert(1)</script> und Wohnungen: 3 < 4 & "gut".',
      }),
    });
    await make({
      slug: 'haus',
      title: json({ en: 'Our house', de: 'Unser Haus' }),
      content: json({ en: 'Where we work.', de: 'Wo wir arbeiten.' }),
    });
    await make({ slug: 'unrelated', title: json({ en: 'Contact', de: 'Kontakt' }) });
    const animals = await make({ slug: 'tiere', title: json({ en: 'Animals', de: 'Tiere' }) });
    await make({ slug: 'zebra', parent_id: animals.id, title: json({ en: 'Zebra', de: 'Zebra' }) });
    const unpublished = await Factories.for(search).page(by, { slug: 'zoo', status: 'draft' });
    await make({
      slug: 'zebra-hidden',
      parent_id: unpublished.id,
      title: json({ en: 'Zebra', de: 'Zebra' }),
    });
    // Words only in blocks (one with English alone), only in the excerpt, and Markdown around them.
    await make({
      slug: 'workshops',
      title: json({ en: 'Workshops', de: 'Workshops' }),
      excerpt: json({ en: 'About our xylophones.', de: 'Über unsere Xylophone.' }),
      content: json({
        en: '# Our **offer**\n\nSee [the list](/list) of _topics_ and `code`.\n\n> Quoted',
        de: '## Unser **Angebot**\n\n- Siehe [die Liste](/liste)',
      }),
      blocks: json([
        { type: 'hero', heading: { en: 'Learn together', de: 'Gemeinsam lernen' } },
        {
          type: 'faq',
          items: [
            {
              question: { en: 'Do you train teams?', de: 'Schulen Sie Teams?' },
              answer: {
                en: 'Yes, we run **hackathons** for [teams](/teams).',
                de: 'Ja, wir veranstalten **Programmierwettbewerbe** für [Teams](/teams).',
              },
            },
          ],
        },
        { type: 'values', items: [{ en: 'Zeppelin tours' }] },
      ]),
    });
    await Factories.for(search).page(by, {
      slug: 'draft-haus',
      status: 'draft',
      title: json({ en: 'Draft house', de: 'Entwurf Haus' }),
    });
  });

  afterAll(async () => {
    await instance.close();
    await search.close();
  });

  type Hits = {
    items: { slug: string; snippet: string; path: string; title: string; status?: string }[];
    total: number;
    page: number;
    per_page: number;
  };

  it('finds "Haus" for "Häuser" (german stemming) and ranks the title hit first', async () => {
    const answer = await get<Hits>(
      `/api/v1/public/search?q=${encodeURIComponent('Häuser')}&lang=de`,
      instance,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((hit) => hit.slug)).toEqual(['haus', 'immobilien']);
    expect(answer.body.total).toBe(2);
    expect(answer.body.items[0]).toMatchObject({ title: 'Unser Haus', path: '/haus' });
  });

  it('searches English with English stemming', async () => {
    const answer = await get<Hits>('/api/v1/public/search?q=houses&lang=en', instance);
    expect(answer.body.items.map((hit) => hit.slug)).toEqual(['haus']);
    expect(answer.body.items[0]?.title).toBe('Our house');
    const buildings = await get<Hits>('/api/v1/public/search?q=building&lang=en', instance);
    expect(buildings.body.items[0]?.snippet).toContain('advise on <mark>buildings</mark>');
  });

  it('answers full paths, and leaves out pages under an unpublished parent', async () => {
    const answer = await get<Hits>('/api/v1/public/search?q=zebra&lang=de', instance);
    expect(answer.body.items.map((hit) => [hit.slug, hit.path])).toEqual([['zebra', '/tiere/zebra']]);
    expect(answer.body.total).toBe(1);
  });

  it('highlights hits in snippets and escapes everything else', async () => {
    const answer = await get<Hits>(
      `/api/v1/public/search?q=${encodeURIComponent('Häuser')}&lang=de`,
      instance,
    );
    const snippet = answer.body.items.find((hit) => hit.slug === 'immobilien')?.snippet ?? '';
    expect(snippet).toContain('<mark>Häusern</mark>');
    // ts_headline drops what parses as a tag; what is left of the markup is escaped.
    expect(snippet).not.toContain('<script');
    expect(snippet).toContain('3 &lt; 4 &amp; &quot;gut');
    expect(snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    expect(snippetHtml('a \u0001<b>\u0002 "x" & \'y\'')).toBe(
      'a <mark>&lt;b&gt;</mark> &quot;x&quot; &amp; &#39;y&#39;',
    );
  });

  it('finds words that stand only in blocks or the excerpt, in both languages', async () => {
    const english = await get<Hits>('/api/v1/public/search?q=hackathon&lang=en', instance);
    expect(english.body.items.map((hit) => hit.slug)).toEqual(['workshops']);
    expect(english.body.items[0]?.snippet).toContain('<mark>hackathons</mark>');
    const german = await get<Hits>(
      `/api/v1/public/search?q=${encodeURIComponent('Programmierwettbewerb')}&lang=de`,
      instance,
    );
    expect(german.body.items.map((hit) => hit.slug)).toEqual(['workshops']);
    expect(german.body.items[0]?.snippet).toContain('<mark>Programmierwettbewerbe</mark>');
    // A block text without German is searched and shown in English, as the German page shows it.
    const fallback = await get<Hits>('/api/v1/public/search?q=zeppelin&lang=de', instance);
    expect(fallback.body.items.map((hit) => hit.slug)).toEqual(['workshops']);
    expect(fallback.body.items[0]?.snippet).toContain('<mark>Zeppelin</mark> tours');
    const excerpt = await get<Hits>('/api/v1/public/search?q=xylophone&lang=en', instance);
    expect(excerpt.body.items.map((hit) => hit.slug)).toEqual(['workshops']);
    expect(excerpt.body.items[0]?.snippet).toContain('<mark>xylophones</mark>');
  });

  it('makes snippets without Markdown symbols', async () => {
    for (const [q, lang, word] of [
      ['offer', 'en', 'offer'],
      ['teams', 'en', 'teams'],
      ['Angebot', 'de', 'Angebot'],
      ['Liste', 'de', 'Liste'],
    ] as const) {
      const answer = await get<Hits>(`/api/v1/public/search?q=${q}&lang=${lang}`, instance);
      const snippet = answer.body.items.find((hit) => hit.slug === 'workshops')?.snippet ?? '';
      expect(snippet, q).toContain(`<mark>${word}</mark>`);
      for (const symbol of ['**', '#', '](', '`', '[', '&gt;']) expect(snippet, q).not.toContain(symbol);
    }
    const english = await get<Hits>('/api/v1/public/search?q=offer&lang=en', instance);
    expect(english.body.items[0]?.snippet).toContain(
      'About our xylophones. Our <mark>offer</mark> See the list',
    );
  });

  it('paginates with the total over all pages', async () => {
    const q = encodeURIComponent('Häuser');
    const second = await get<Hits>(`/api/v1/public/search?q=${q}&lang=de&page=2&per_page=1`, instance);
    expect(second.body).toMatchObject({ total: 2, page: 2, per_page: 1 });
    expect(second.body.items.map((hit) => hit.slug)).toEqual(['immobilien']);
    const beyond = await get<Hits>(`/api/v1/public/search?q=${q}&lang=de&page=3&per_page=1`, instance);
    expect(beyond.body).toMatchObject({ total: 2, items: [] });
  });

  it('refuses an empty, blank or too long query', async () => {
    for (const q of ['', '%20%20', 'x'.repeat(201)]) {
      const answer = await get<{ error: { code: string } }>(`/api/v1/public/search?q=${q}`, instance);
      expect(answer.status, q).toBe(400);
    }
    const blank = await get<{ error: { code: string } }>('/api/v1/public/search?q=%20', instance);
    expect(blank.body.error.code).toBe('search.invalid_query');
    expect((await get('/api/v1/public/search', instance)).status).toBe(400);
  });

  it('lets staff with pages.read find drafts too, with their status', async () => {
    const staff = await signIn(instance, await makeUser(search, 'viewer'));
    const response = await instance.inject(
      as(staff, { method: 'GET', url: '/api/v1/pages/search?q=haus&lang=de' }),
    );
    expect(response.statusCode).toBe(200);
    const hits = response.json<Hits>();
    expect(hits.items.map((hit) => [hit.slug, hit.status]).sort()).toEqual([
      ['draft-haus', 'draft'],
      ['haus', 'published'],
      ['immobilien', 'published'],
    ]);
    const publicHits = await get<Hits>('/api/v1/public/search?q=haus&lang=de', instance);
    expect(publicHits.body.items.map((hit) => hit.slug)).not.toContain('draft-haus');
    const anonymous = await instance.inject({ method: 'GET', url: '/api/v1/pages/search?q=haus' });
    expect(anonymous.statusCode).toBe(401);
    expect(viewer.access_token).toBeTruthy();
  });
});

describe(`the public page cache on ${testEngine()}`, () => {
  async function title(on: FastifyInstance, slug: string): Promise<unknown> {
    return (await get<{ title?: string }>(`/api/v1/public/pages/${slug}?lang=en`, on)).body.title;
  }

  it('serves from memory until the table changes; a change through one instance shows on the other', async () => {
    const other = await secondConnection(t.database);
    const second = await buildTestApp(other.database);
    try {
      const page = await published({ title: json({ en: 'Before', de: 'Vorher' }) });
      // On a server the insert's own NOTIFY reaches the instances a moment after the commit; let it land first
      // so it cannot empty the copies this test is about to look at.
      if (testEngine() === 'postgres') await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await title(t.app, page.slug)).toBe('Before');
      expect(await title(second, page.slug)).toBe('Before');

      // Proof that both answer from memory: a change that announces nothing is not seen...
      await sql`ALTER TABLE pages DISABLE TRIGGER notify_pages_changed`.execute(t.database.db);
      try {
        await t.database.db
          .updateTable('pages')
          .set({ title: json({ en: 'Silent', de: 'Still' }) })
          .where('id', '=', page.id)
          .execute();
      } finally {
        await sql`ALTER TABLE pages ENABLE TRIGGER notify_pages_changed`.execute(t.database.db);
      }
      expect(await title(t.app, page.slug)).toBe('Before');
      expect(await title(second, page.slug)).toBe('Before');

      // ...while a change written through the second instance's connection reaches both.
      await other.database.db
        .updateTable('pages')
        .set({ title: json({ en: 'After', de: 'Nachher' }) })
        .where('id', '=', page.id)
        .execute();
      if (testEngine() === 'pglite') {
        // One process: the NOTIFY was delivered when the write committed.
        expect(await title(t.app, page.slug)).toBe('After');
        expect(await title(second, page.slug)).toBe('After');
      }
      await vi.waitFor(async () => {
        expect(await title(t.app, page.slug)).toBe('After');
        expect(await title(second, page.slug)).toBe('After');
      });

      // Unpublishing is a change like any other: gone on both.
      await t.database.db.updateTable('pages').set({ status: 'draft' }).where('id', '=', page.id).execute();
      await vi.waitFor(async () => {
        expect((await get(`/api/v1/public/pages/${page.slug}`, second)).status).toBe(404);
        expect((await get(`/api/v1/public/pages/${page.slug}`, t.app)).status).toBe(404);
      });
    } finally {
      await second.close();
      await other.close();
    }
  });
});

// Server only: a dropped listening connection (PGlite has no connection to lose).
describe('the public page cache while its listening connection is down', () => {
  it.runIf(t.engine === 'postgres')(
    'on postgres: reads the database instead of its copy, so no change is missed',
    async () => {
      const page = await published({ title: json({ en: 'Kept', de: 'Behalten' }) });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await get<{ title: string }>(`/api/v1/public/pages/${page.slug}`)).body.title).toBe('Kept');
      const { rows } = await sql<{ name: string }>`SELECT current_database() AS name`.execute(t.database.db);
      await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE application_name = 'magnetiq-listen' AND datname = ${rows[0]?.name ?? ''}`.execute(
        t.database.db,
      );
      // A change no listener hears: the next reads must find it (from the database, or from a copy that was
      // dropped when listening resumed).
      await sql`ALTER TABLE pages DISABLE TRIGGER notify_pages_changed`.execute(t.database.db);
      try {
        await t.database.db
          .updateTable('pages')
          .set({ title: json({ en: 'Changed unheard', de: 'Ungehört' }) })
          .where('id', '=', page.id)
          .execute();
      } finally {
        await sql`ALTER TABLE pages ENABLE TRIGGER notify_pages_changed`.execute(t.database.db);
      }
      await vi.waitFor(async () => {
        const answer = await get<{ title: string }>(`/api/v1/public/pages/${page.slug}`);
        expect(answer.body.title).toBe('Changed unheard');
      });
    },
  );
});
