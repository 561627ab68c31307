import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp, type ErrorJson } from '../../../test/fixture.ts';
import { buildTestApp } from '../../../test/helpers/app.ts';
import { request, type Session, type TestUser } from '../../../test/helpers/auth.ts';
import type { HistoryEntry, PageSummary, PageView, TreeNode } from './schemas.ts';

interface Page<T> {
  items: T[];
  total: number;
}

const t = useTestApp({ now: new Date(), env: { ACCESS_TOKEN_MINUTES: '1440' } });
const { clock } = t;
const call: typeof t.call = (...args) => t.call(...args);
let root: TestUser;
let editor: TestUser;
let rootS: Session;
let adminS: Session;
let editorS: Session;
let viewerS: Session;

beforeAll(async () => {
  const [r, a, e, v] = await Promise.all([
    t.as('super_admin'),
    t.as('admin'),
    t.as('editor'),
    t.as('viewer'),
  ]);
  [root, editor] = [r.user, e.user];
  [rootS, adminS, editorS, viewerS] = [r.session, a.session, e.session, v.session];
});

let n = 0;
const slug = (prefix = 'page') => `${prefix}-${String(++n)}-${Math.random().toString(36).slice(2, 6)}`;

async function createPage(body: Record<string, unknown> = {}, session = editorS): Promise<PageView> {
  const response = await call(session, 'POST', '/api/v1/pages', {
    slug: slug(),
    title: { en: 'About us', de: 'Über uns' },
    ...body,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<PageView>();
}

async function media(deleted = false): Promise<string> {
  const row = await t.database.db
    .insertInto('media_files')
    .values({
      filename: `${randomUUID()}.png`,
      original_filename: 'team.png',
      file_path: `media/${randomUUID()}.png`,
      file_size: 100,
      mime_type: 'image/png',
      uploaded_by: root.id,
      deleted_at: deleted ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const row = (id: string) =>
  t.database.db.selectFrom('pages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return check();
}

describe(`pages API on ${t.engine}`, () => {
  it('creates, reads, lists, changes and shows every column', async () => {
    const image = await media();
    const page = await createPage({
      content: { en: '# Hello\n\nWe build.', de: '# Hallo' },
      excerpt: { en: 'Short' },
      blocks: [{ type: 'image', media_id: image, alt: { en: 'Team', de: 'Team' } }],
      meta_title: { en: 'About', de: 'Über' },
      meta_description: { en: 'Who we are' },
      meta_keywords: { en: 'ai, consulting', de: 'ki, beratung' },
      og_image: '/media/og.png',
      canonical_url: 'https://example.com/about',
      sort_order: 3,
    });
    expect(page).toMatchObject({
      status: 'draft',
      version: 1,
      path: `/${page.slug}`,
      title: { en: 'About us', de: 'Über uns' },
      content: { en: '# Hello\n\nWe build.', de: '# Hallo' },
      excerpt: { en: 'Short' },
      blocks: [{ type: 'image', media_id: image, alt: { en: 'Team', de: 'Team' } }],
      meta_keywords: { en: 'ai, consulting', de: 'ki, beratung' },
      og_image: '/media/og.png',
      canonical_url: 'https://example.com/about',
      sort_order: 3,
      parent_id: null,
      published_at: null,
      scheduled_at: null,
      deleted_at: null,
      created_by: editor.id,
      updated_by: editor.id,
    });

    const got = await call(viewerS, 'GET', `/api/v1/pages/${page.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json<PageView>()).toEqual(page);

    const patched = await call(editorS, 'PATCH', `/api/v1/pages/${page.id}`, {
      version: 1,
      title: { en: 'About', de: 'Über' },
      excerpt: null,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json<PageView>()).toMatchObject({
      version: 2,
      title: { en: 'About', de: 'Über' },
      excerpt: null,
    });

    const list = await call(viewerS, 'GET', `/api/v1/pages?q=${page.slug}&status=draft`);
    expect(list.json<Page<PageSummary>>().items.map((p) => p.id)).toEqual([page.id]);
    const search = await call(viewerS, 'GET', `/api/v1/pages?q=${encodeURIComponent('Über')}&per_page=100`);
    expect(search.json<Page<PageSummary>>().items.map((p) => p.id)).toContain(page.id);

    expect((await call(viewerS, 'GET', `/api/v1/pages/${randomUUID()}`)).statusCode).toBe(404);
  });

  it('lists summaries: everything the lists show, no content, blocks, excerpt or SEO fields', async () => {
    const parent = await createPage();
    const page = await createPage({
      parent_id: parent.id,
      sort_order: 7,
      content: { en: '# About\n\nA long text.', de: '# Über uns\n\nEin langer Text.' },
      excerpt: { en: 'Short', de: 'Kurz' },
      blocks: [{ type: 'text', body: { en: 'Hello', de: 'Hallo' } }],
      meta_title: { en: 'About | Magnetiq' },
      meta_description: { en: 'Who we are' },
      meta_keywords: { en: 'ai' },
      og_image: '/media/og.png',
      canonical_url: 'https://example.com/about',
    });
    const response = await call(viewerS, 'GET', `/api/v1/pages?q=${page.slug}`);
    expect(response.statusCode).toBe(200);
    const [item] = response.json<Page<PageSummary>>().items;
    expect(item).toEqual({
      id: page.id,
      slug: page.slug,
      path: `/${parent.slug}/${page.slug}`,
      title: { en: 'About us', de: 'Über uns' },
      status: 'draft',
      published_at: null,
      scheduled_at: null,
      parent_id: parent.id,
      sort_order: 7,
      created_at: page.created_at,
      updated_at: page.updated_at,
      created_by: editor.id,
      updated_by: editor.id,
      deleted_at: null,
      version: 1,
    });
    for (const wide of ['content', 'excerpt', 'blocks', 'meta_title', 'meta_description', 'og_image']) {
      expect(item).not.toHaveProperty(wide);
    }
    expect(response.body).not.toContain('A long text');
    // The page itself still has everything.
    const whole = (await call(viewerS, 'GET', `/api/v1/pages/${page.id}`)).json<PageView>();
    expect(whole).toMatchObject({
      content: { en: '# About\n\nA long text.' },
      blocks: [{ type: 'text' }],
      meta_title: { en: 'About | Magnetiq' },
    });
  });

  it('keeps slugs lowercase, unreserved and unique among live pages; a deleted page’s slug is free', async () => {
    const upper = await call(editorS, 'POST', '/api/v1/pages', { slug: 'About-Us', title: { en: 'x' } });
    expect(upper.statusCode).toBe(400);
    expect(upper.json<ErrorJson>().error.details[0]?.field).toBe('body.slug');
    for (const bad of ['a b', '-a', 'a--b', 'ä']) {
      expect(
        (await call(editorS, 'POST', '/api/v1/pages', { slug: bad, title: { en: 'x' } })).statusCode,
      ).toBe(400);
    }
    for (const reserved of ['api', 'admin', 'en', 'de', 'media', 'search', 'consultants']) {
      const response = await call(editorS, 'POST', '/api/v1/pages', { slug: reserved, title: { en: 'x' } });
      expect([response.statusCode, response.json<ErrorJson>().error.code]).toEqual([
        400,
        'pages.slug_reserved',
      ]);
    }
    const first = await createPage();
    const dup = await call(editorS, 'POST', '/api/v1/pages', { slug: first.slug, title: { en: 'x' } });
    expect([dup.statusCode, dup.json<ErrorJson>().error.code]).toEqual([409, 'pages.slug_taken']);
    const other = await createPage();
    const rename = await call(editorS, 'PATCH', `/api/v1/pages/${other.id}`, {
      version: 1,
      slug: first.slug,
    });
    expect(rename.statusCode).toBe(409);
    // English title required
    const noEn = await call(editorS, 'POST', '/api/v1/pages', { slug: slug(), title: { de: 'Nur' } });
    expect(noEn.statusCode).toBe(400);

    expect((await call(editorS, 'DELETE', `/api/v1/pages/${first.id}`)).statusCode).toBe(204);
    const reuse = await createPage({ slug: first.slug });
    expect(reuse.slug).toBe(first.slug);
    // The deleted one cannot come back while its slug is taken.
    const restore = await call(editorS, 'POST', `/api/v1/pages/${first.id}/restore`);
    expect([restore.statusCode, restore.json<ErrorJson>().error.code]).toEqual([409, 'pages.slug_taken']);
  });

  it('validates blocks: unknown type or bad field is 400 naming the index; media must exist', async () => {
    const unknown = await call(editorS, 'POST', '/api/v1/pages', {
      slug: slug(),
      title: { en: 'x' },
      blocks: [{ type: 'rich_text', body: { en: 'ok' } }, { type: 'carousel' }],
    });
    expect(unknown.statusCode).toBe(400);
    const error = unknown.json<ErrorJson>().error;
    // Checked against the schema of the block's own type only: the valid block 0 and the other types say nothing.
    expect(error.code).toBe('validation.failed');
    expect(error.details.map((d) => [d.field, d.code])).toEqual([['body.blocks.1.type', 'discriminator']]);
    expect(error.message).toContain('blocks.1.type');

    const page = await createPage();
    const bad = await call(editorS, 'PATCH', `/api/v1/pages/${page.id}`, {
      version: 1,
      blocks: [{ type: 'faq', items: [{ question: { en: 'Q' }, answer: 'not bilingual' }] }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorJson>().error.details.map((d) => d.field)).toEqual(['body.blocks.0.items.0.answer']);

    const live = await media();
    const gone = await media(true);
    const missing = await call(editorS, 'PATCH', `/api/v1/pages/${page.id}`, {
      version: 1,
      blocks: [
        { type: 'hero', heading: { en: 'Hi' }, media_id: live },
        { type: 'rich_text', body: { en: 'x' } },
        { type: 'gallery', items: [{ media_id: live }, { media_id: randomUUID() }] },
        { type: 'image', media_id: gone },
      ],
    });
    expect(missing.statusCode).toBe(400);
    const m = missing.json<ErrorJson>().error;
    expect(m.code).toBe('pages.media_not_found');
    expect(m.details.map((d) => d.field)).toEqual(['blocks.2.items.1.media_id', 'blocks.3.media_id']);
    expect((await row(page.id)).version).toBe(1);
  });

  it('builds a tree with full paths, refuses cycles and reorders in one go', async () => {
    const services = await createPage({ slug: slug('services') });
    const audit = await createPage({ slug: slug('ai-audit'), parent_id: services.id, sort_order: 2 });
    const deep = await createPage({ slug: slug('deep'), parent_id: audit.id });
    expect(audit.path).toBe(`/${services.slug}/${audit.slug}`);
    expect(deep.path).toBe(`/${services.slug}/${audit.slug}/${deep.slug}`);

    const cycle = await call(editorS, 'PATCH', `/api/v1/pages/${services.id}`, {
      version: 1,
      parent_id: deep.id,
    });
    expect([cycle.statusCode, cycle.json<ErrorJson>().error.code]).toEqual([400, 'pages.cycle']);
    const self = await call(editorS, 'PATCH', `/api/v1/pages/${services.id}`, {
      version: 1,
      parent_id: services.id,
    });
    expect(self.json<ErrorJson>().error.code).toBe('pages.cycle');
    const noParent = await call(editorS, 'PATCH', `/api/v1/pages/${services.id}`, {
      version: 1,
      parent_id: randomUUID(),
    });
    expect([noParent.statusCode, noParent.json<ErrorJson>().error.code]).toEqual([
      400,
      'pages.parent_not_found',
    ]);

    const training = await createPage({ slug: slug('training'), parent_id: services.id, sort_order: 1 });
    const tree = (await call(viewerS, 'GET', '/api/v1/pages/tree')).json<{ items: TreeNode[] }>().items;
    const node = tree.find((t) => t.id === services.id);
    expect(node?.children.map((c) => c.id)).toEqual([training.id, audit.id]);
    expect(node?.children[1]?.children[0]).toMatchObject({ id: deep.id, path: deep.path, children: [] });

    const moved = await call(editorS, 'POST', '/api/v1/pages/reorder', [
      { id: audit.id, parent_id: services.id, sort_order: 0 },
      { id: training.id, parent_id: services.id, sort_order: 5, version: 1 },
      { id: deep.id, parent_id: null, sort_order: 0 },
    ]);
    expect(moved.statusCode, moved.body).toBe(200);
    expect(
      (await call(viewerS, 'GET', `/api/v1/pages?parent_id=${services.id}&sort=sort_order`))
        .json<Page<PageSummary>>()
        .items.map((p) => p.id),
    ).toEqual([audit.id, training.id]);
    expect((await call(viewerS, 'GET', `/api/v1/pages/${deep.id}`)).json<PageView>().path).toBe(
      `/${deep.slug}`,
    );

    // A reorder that makes a cycle changes nothing.
    const before = (await row(services.id)).version;
    const bad = await call(editorS, 'POST', '/api/v1/pages/reorder', [
      { id: services.id, parent_id: audit.id, sort_order: 0 },
    ]);
    expect([bad.statusCode, bad.json<ErrorJson>().error.code]).toEqual([400, 'pages.cycle']);
    expect((await row(services.id)).version).toBe(before);
    expect((await row(services.id)).parent_id).toBeNull();
  });

  it('has a trash with restore; purge is for super admins only', async () => {
    const parent = await createPage();
    const child = await createPage({ parent_id: parent.id });
    const busy = await call(editorS, 'DELETE', `/api/v1/pages/${parent.id}`);
    expect([busy.statusCode, busy.json<ErrorJson>().error.code]).toEqual([409, 'pages.has_children']);
    expect((await call(editorS, 'DELETE', `/api/v1/pages/${child.id}?version=1`)).statusCode).toBe(204);
    const trash = (await call(viewerS, 'GET', '/api/v1/pages?deleted=only&per_page=100')).json<
      Page<PageSummary>
    >();
    expect(trash.items.map((p) => p.id)).toContain(child.id);
    expect(trash.items.every((p) => p.deleted_at !== null)).toBe(true);
    const live = (await call(viewerS, 'GET', '/api/v1/pages?per_page=100')).json<Page<PageSummary>>();
    expect(live.items.map((p) => p.id)).not.toContain(child.id);
    // A deleted page is not edited.
    expect(
      (await call(editorS, 'PATCH', `/api/v1/pages/${child.id}`, { version: 2, title: { en: 'x' } }))
        .statusCode,
    ).toBe(404);

    const restored = await call(editorS, 'POST', `/api/v1/pages/${child.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json<PageView>().deleted_at).toBeNull();
    expect((await call(editorS, 'POST', `/api/v1/pages/${child.id}/restore`)).statusCode).toBe(409);

    expect((await call(editorS, 'DELETE', `/api/v1/pages/${child.id}`)).statusCode).toBe(204);
    // Live pages are not purged; only super admins purge.
    const livePurge = await call(rootS, 'DELETE', `/api/v1/pages/${parent.id}/purge`);
    expect([livePurge.statusCode, livePurge.json<ErrorJson>().error.code]).toEqual([
      409,
      'pages.not_deleted',
    ]);
    for (const session of [adminS, editorS]) {
      const refused = await call(session, 'DELETE', `/api/v1/pages/${child.id}/purge`);
      expect([refused.statusCode, refused.json<ErrorJson>().error.code]).toEqual([
        403,
        'pages.purge_super_admin_only',
      ]);
    }
    expect((await call(viewerS, 'DELETE', `/api/v1/pages/${child.id}/purge`)).statusCode).toBe(403);
    expect((await call(rootS, 'DELETE', `/api/v1/pages/${child.id}/purge`)).statusCode).toBe(204);
    expect((await call(rootS, 'GET', `/api/v1/pages/${child.id}`)).statusCode).toBe(404);
  });

  it('runs the workflow, with publishing and editing split by permission', async () => {
    const page = await createPage();
    expect(
      (await call(viewerS, 'POST', '/api/v1/pages', { slug: slug(), title: { en: 'x' } })).statusCode,
    ).toBe(403);
    expect((await call(viewerS, 'PATCH', `/api/v1/pages/${page.id}`, { version: 1 })).statusCode).toBe(403);
    expect((await call(viewerS, 'POST', `/api/v1/pages/${page.id}/publish`, { version: 1 })).statusCode).toBe(
      403,
    );

    const published = await call(editorS, 'POST', `/api/v1/pages/${page.id}/publish`, { version: 1 });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json<PageView>()).toMatchObject({ status: 'published', version: 2 });
    expect(published.json<PageView>().published_at).toBe(clock.now().toISOString());
    const again = await call(editorS, 'POST', `/api/v1/pages/${page.id}/publish`, { version: 2 });
    expect([again.statusCode, again.json<ErrorJson>().error.code]).toEqual([409, 'pages.invalid_transition']);
    const archived = await call(editorS, 'POST', `/api/v1/pages/${page.id}/archive`, { version: 2 });
    expect(archived.json<PageView>()).toMatchObject({ status: 'archived', version: 3 });
    const republished = await call(editorS, 'POST', `/api/v1/pages/${page.id}/publish`, { version: 3 });
    expect(republished.json<PageView>().status).toBe('published');
    const unpublished = await call(editorS, 'POST', `/api/v1/pages/${page.id}/unpublish`, { version: 4 });
    expect(unpublished.json<PageView>()).toMatchObject({ status: 'draft', version: 5 });

    const past = await call(editorS, 'POST', `/api/v1/pages/${page.id}/schedule`, {
      version: 5,
      scheduled_at: new Date(clock.now().getTime() - 60_000).toISOString(),
    });
    expect([past.statusCode, past.json<ErrorJson>().error.code]).toEqual([400, 'pages.schedule_in_past']);
  });

  it('never overwrites silently: a stale version gets 409 with the current one and changes nothing', async () => {
    const page = await createPage();
    const first = await call(editorS, 'PATCH', `/api/v1/pages/${page.id}`, {
      version: 1,
      title: { en: 'Mine' },
    });
    expect(first.statusCode).toBe(200);
    const before = await row(page.id);
    for (const [method, url, body] of [
      ['PATCH', `/api/v1/pages/${page.id}`, { version: 1, title: { en: 'Theirs', de: 'Ihres' } }],
      ['POST', `/api/v1/pages/${page.id}/publish`, { version: 1 }],
      ['POST', `/api/v1/pages/${page.id}/schedule`, { version: 1, scheduled_at: '2099-01-01T00:00:00Z' }],
      ['DELETE', `/api/v1/pages/${page.id}?version=1`, undefined],
      ['POST', '/api/v1/pages/reorder', [{ id: page.id, parent_id: null, sort_order: 9, version: 1 }]],
    ] as const) {
      const response = await call(adminS, method, url, body);
      expect(response.statusCode, `${method} ${url}`).toBe(409);
      const error = response.json<ErrorJson>().error;
      expect(error.code).toBe('conflict.stale_version');
      expect(error.details[0]?.message).toContain('2');
    }
    expect(await row(page.id)).toEqual(before);
  });

  it('lists the history (who, when, which fields, old and new) and restores the old German title', async () => {
    const page = await createPage({ title: { en: 'Services', de: 'Leistungen' } });
    const changed = await call(adminS, 'PATCH', `/api/v1/pages/${page.id}`, {
      version: 1,
      title: { en: 'Our services', de: 'Unsere Angebote' },
    });
    expect(changed.statusCode).toBe(200);
    const history = (await call(viewerS, 'GET', `/api/v1/pages/${page.id}/history`)).json<
      Page<HistoryEntry>
    >();
    expect(history.items.map((h) => h.event_type)).toEqual(['UPDATE', 'INSERT']);
    const [update, insert] = history.items;
    expect(update).toMatchObject({
      changed_fields: ['title', 'updated_by'],
      old_values: { title: { en: 'Services', de: 'Leistungen' } },
      new_values: { title: { en: 'Our services', de: 'Unsere Angebote' } },
    });
    expect(update?.user_email).not.toBe(insert?.user_email);
    expect(insert?.user_id).toBe(editor.id);
    expect(Date.parse(update?.created_at ?? '')).not.toBeNaN();

    const stale = await call(
      editorS,
      'POST',
      `/api/v1/pages/${page.id}/history/${update?.id ?? ''}/restore`,
      {
        version: 1,
      },
    );
    expect(stale.statusCode).toBe(409);
    const restored = await call(
      editorS,
      'POST',
      `/api/v1/pages/${page.id}/history/${update?.id ?? ''}/restore`,
      {
        version: 2,
      },
    );
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json<PageView>()).toMatchObject({
      version: 3,
      title: { en: 'Services', de: 'Leistungen' },
    });
    const after = (await call(viewerS, 'GET', `/api/v1/pages/${page.id}/history`)).json<Page<HistoryEntry>>();
    expect(after.items[0]).toMatchObject({
      event_type: 'UPDATE',
      user_id: editor.id,
      new_values: { title: { de: 'Leistungen' } },
    });
    expect((await call(editorS, 'DELETE', `/api/v1/pages/${page.id}`)).statusCode).toBe(204);
    expect((await call(editorS, 'POST', `/api/v1/pages/${page.id}/restore`)).statusCode).toBe(200);
    const events = (await call(viewerS, 'GET', `/api/v1/pages/${page.id}/history`)).json<
      Page<HistoryEntry>
    >();
    expect(events.items.slice(0, 2).map((h) => h.event_type)).toEqual(['RESTORE', 'SOFT_DELETE']);
    expect(
      (
        await call(editorS, 'POST', `/api/v1/pages/${page.id}/history/${randomUUID()}/restore`, {
          version: 5,
        })
      ).statusCode,
    ).toBe(404);
  });

  it('unscheduling cancels the job: the page stays a draft', async () => {
    const page = await createPage();
    const at = new Date(Date.now() + 1500).toISOString();
    const scheduled = await call(editorS, 'POST', `/api/v1/pages/${page.id}/schedule`, {
      version: 1,
      scheduled_at: at,
    });
    expect(scheduled.statusCode, scheduled.body).toBe(200);
    expect(scheduled.json<PageView>()).toMatchObject({ status: 'scheduled', scheduled_at: at });
    const unscheduled = await call(editorS, 'POST', `/api/v1/pages/${page.id}/unschedule`, { version: 2 });
    expect(unscheduled.json<PageView>()).toMatchObject({ status: 'draft', scheduled_at: null });
    const jobs = await sql<{ state: string }>`
      SELECT state::text AS state FROM pgboss.job
      WHERE name = 'pages.publish' AND data->>'page_id' = ${page.id}`.execute(t.database.db);
    expect(jobs.rows.map((j) => j.state)).toEqual(['cancelled']);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await row(page.id)).status).toBe('draft');
  });

  it('publishes a scheduled page at its time, across a restart of the app', async () => {
    const page = await createPage({ title: { en: 'Launch', de: 'Start' } });
    const at = new Date(Date.now() + 2000);
    const scheduled = await call(editorS, 'POST', `/api/v1/pages/${page.id}/schedule`, {
      version: 1,
      scheduled_at: at.toISOString(),
    });
    expect(scheduled.statusCode, scheduled.body).toBe(200);
    await t.app.close();
    expect((await row(page.id)).status).toBe('scheduled');
    const restarted: FastifyInstance = await buildTestApp(t.database, {
      clock: clock.now,
      env: { ACCESS_TOKEN_MINUTES: '1440' },
    });
    try {
      expect(await until(async () => (await row(page.id)).status === 'published', 15_000)).toBe(true);
      const published = await row(page.id);
      expect(published.published_at?.toISOString()).toBe(at.toISOString());
      expect(published.scheduled_at).toBeNull();
      expect(Date.now()).toBeGreaterThanOrEqual(at.getTime());
      const view = await request(restarted, viewerS, 'GET', `/api/v1/pages/${page.id}`);
      expect(view.json<PageView>().status).toBe('published');
    } finally {
      await restarted.close();
    }
  }, 30_000);
});
