import { sql, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import { SYSTEM_ACTOR, writeTransaction, type AuditActor } from '../../platform/audit/context.ts';
import type { Clock } from '../../platform/clock.ts';
import type { DB, Pages } from '../../platform/db/schema.ts';
import { AppError, staleVersion, platformError } from '../../platform/http/errors.ts';
import { fetchPage, type Page } from '../../platform/http/pagination.ts';
import type { Jobs } from '../../platform/jobs/index.ts';
import type { AuthContext } from '../identity/service.ts';
import { checkBlocks, checkBlockShapes } from './blocks.ts';
import { containsPattern, isUniqueViolation } from '../../platform/db/errors.ts';
import { pageError } from './errors.ts';

export interface PagesDeps {
  db: Kysely<DB>;
  jobs: Jobs;
  clock: Clock;
}

/** `{"en": "...", "de": "..."}`; English required, German optional. */
export interface Multilingual {
  en: string;
  de?: string | undefined;
}

/** A stored multilingual value as read back. */
export interface TextValue {
  en?: string;
  de?: string;
}

export const PAGE_STATUSES = ['draft', 'scheduled', 'published', 'archived'] as const;
export type PageStatus = (typeof PAGE_STATUSES)[number];

/** Lowercase letters, digits and single dashes between them. */
export const SLUG_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';

/** Words the site's own routes use (or will): a page may not take them as its slug, at any depth. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'api',
  'admin',
  'en',
  'de',
  'media',
  'health',
  'static',
  'assets',
  'uploads',
  'files',
  'auth',
  'login',
  'logout',
  'search',
  'sitemap',
  'robots',
  'favicon',
  'metrics',
  'docs',
  'feed',
  'rss',
  'preview',
]);

/** The queue of scheduled publications; a job carries the page and the time it was scheduled for. */
export const PUBLISH_QUEUE = 'pages.publish';

/** What the page builder edits; history restores exactly these (and the slug when it is free). */
const CONTENT_FIELDS = [
  'title',
  'content',
  'excerpt',
  'blocks',
  'meta_title',
  'meta_description',
  'meta_keywords',
  'og_image',
  'canonical_url',
] as const;
const JSON_FIELDS = new Set<string>([
  'title',
  'content',
  'excerpt',
  'blocks',
  'meta_title',
  'meta_description',
  'meta_keywords',
]);

export interface PageFields {
  title?: Multilingual | undefined;
  content?: Multilingual | null | undefined;
  excerpt?: Multilingual | null | undefined;
  blocks?: unknown[] | null | undefined;
  meta_title?: Multilingual | null | undefined;
  meta_description?: Multilingual | null | undefined;
  meta_keywords?: Multilingual | null | undefined;
  og_image?: string | null | undefined;
  canonical_url?: string | null | undefined;
  parent_id?: string | null | undefined;
  sort_order?: number | undefined;
}

export interface PageCreate extends PageFields {
  slug: string;
  title: Multilingual;
}

export interface PagePatch extends PageFields {
  version: number;
  slug?: string | undefined;
}

export interface PageListQuery {
  status?: PageStatus | undefined;
  parent_id?: string | undefined;
  q?: string | undefined;
  deleted?: 'exclude' | 'include' | 'only' | undefined;
  sort?: string | undefined;
  page: number;
  per_page: number;
}

export interface ReorderItem {
  id: string;
  parent_id: string | null;
  sort_order: number;
  version?: number | undefined;
}

export type WorkflowAction = 'publish' | 'unpublish' | 'unschedule' | 'archive' | 'schedule';

/** From which statuses each action may start, and where it leads. */
const TRANSITIONS: Record<WorkflowAction, { from: PageStatus[]; to: PageStatus }> = {
  publish: { from: ['draft', 'scheduled', 'archived'], to: 'published' },
  unpublish: { from: ['published', 'scheduled'], to: 'draft' },
  unschedule: { from: ['scheduled'], to: 'draft' },
  archive: { from: ['draft', 'scheduled', 'published'], to: 'archived' },
  schedule: { from: ['draft', 'scheduled', 'archived'], to: 'scheduled' },
};

export interface PageView {
  id: string;
  slug: string;
  /** The full path from the root: `/services/ai-audit`. */
  path: string;
  title: TextValue;
  content: TextValue | null;
  excerpt: TextValue | null;
  blocks: unknown;
  meta_title: TextValue | null;
  meta_description: TextValue | null;
  meta_keywords: TextValue | null;
  og_image: string | null;
  canonical_url: string | null;
  status: string;
  published_at: string | null;
  scheduled_at: string | null;
  parent_id: string | null;
  sort_order: number;
  created_at: string;
  updated_at: string;
  created_by: string;
  updated_by: string;
  deleted_at: string | null;
  version: number;
}

export interface TreeNode {
  id: string;
  slug: string;
  path: string;
  title: TextValue;
  status: string;
  sort_order: number;
  version: number;
  children: TreeNode[];
}

export interface HistoryEntry {
  id: string;
  event_type: string;
  created_at: string;
  user_id: string | null;
  user_email: string | null;
  changed_fields: string[] | null;
  old_values: unknown;
  new_values: unknown;
}

const PAGE_COLUMNS = [
  'id',
  'slug',
  'title',
  'content',
  'excerpt',
  'blocks',
  'meta_title',
  'meta_description',
  'meta_keywords',
  'og_image',
  'canonical_url',
  'status',
  'published_at',
  'scheduled_at',
  'parent_id',
  'sort_order',
  'created_at',
  'updated_at',
  'created_by',
  'updated_by',
  'deleted_at',
  'version',
] as const;

type PageRow = Pick<Selectable<Pages>, (typeof PAGE_COLUMNS)[number]>;

const SORTS: Record<string, [keyof PageRow, 'asc' | 'desc']> = {
  sort_order: ['sort_order', 'asc'],
  slug: ['slug', 'asc'],
  '-slug': ['slug', 'desc'],
  updated_at: ['updated_at', 'asc'],
  '-updated_at': ['updated_at', 'desc'],
  created_at: ['created_at', 'asc'],
  '-created_at': ['created_at', 'desc'],
};
export const PAGE_SORTS = Object.keys(SORTS);

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toView(row: PageRow, path: string): PageView {
  return {
    ...row,
    title: row.title as TextValue,
    content: row.content as TextValue | null,
    excerpt: row.excerpt as TextValue | null,
    meta_title: row.meta_title as TextValue | null,
    meta_description: row.meta_description as TextValue | null,
    meta_keywords: row.meta_keywords as TextValue | null,
    path,
    published_at: iso(row.published_at),
    scheduled_at: iso(row.scheduled_at),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    deleted_at: iso(row.deleted_at),
  };
}

function isSlugViolation(error: unknown): boolean {
  return isUniqueViolation(error, 'uq_pages_slug');
}

function checkSlug(slug: string | undefined): void {
  if (slug !== undefined && RESERVED_SLUGS.has(slug)) throw pageError('pages.slug_reserved', { slug });
}

/** The columns a create or patch sets (JSON values serialized: an array must not become a SQL array). */
function columnsOf(fields: PageFields & { slug?: string | undefined }): Updateable<Pages> {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || key === 'version') continue;
    changes[key] = JSON_FIELDS.has(key) && value !== null ? JSON.stringify(value) : value;
  }
  return changes;
}

export class PagesService {
  constructor(private readonly deps: PagesDeps) {}

  private get db() {
    return this.deps.db;
  }

  /** Declares the scheduled-publication queue; call before the app is ready. */
  defineJobs(): void {
    this.deps.jobs.define<{ page_id: string; scheduled_at: string }>(
      { name: PUBLISH_QUEUE, retryLimit: 8, retryDelay: 15 },
      (data) => this.publishScheduled(data.page_id, data.scheduled_at),
    );
  }

  // ----- reading ---------------------------------------------------------------------------------------------

  /** Full paths (`/services/ai-audit`) of the given pages, walking up their parents. */
  private async pathsOf(db: Kysely<DB>, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await sql<{ id: string; path: string }>`
      WITH RECURSIVE up(id, next, path, depth) AS (
        SELECT id, parent_id, '/' || slug, 0 FROM pages WHERE id IN (${sql.join(ids)})
        UNION ALL
        SELECT up.id, p.parent_id, '/' || p.slug || up.path, up.depth + 1
          FROM up JOIN pages p ON p.id = up.next WHERE up.depth < 100
      )
      SELECT id, path FROM up WHERE next IS NULL OR depth = 100`.execute(db);
    return new Map(rows.rows.map((r) => [r.id, r.path]));
  }

  private async views(db: Kysely<DB>, rows: PageRow[]): Promise<PageView[]> {
    const paths = await this.pathsOf(
      db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => toView(r, paths.get(r.id) ?? `/${r.slug}`));
  }

  private async view(db: Kysely<DB>, row: PageRow): Promise<PageView> {
    const [view] = await this.views(db, [row]);
    if (!view) throw pageError('pages.not_found');
    return view;
  }

  async list(query: PageListQuery): Promise<Page<PageView>> {
    let base = this.db.selectFrom('pages');
    const deleted = query.deleted ?? 'exclude';
    if (deleted === 'exclude') base = base.where('deleted_at', 'is', null);
    if (deleted === 'only') base = base.where('deleted_at', 'is not', null);
    if (query.status) base = base.where('status', '=', query.status);
    if (query.parent_id === 'root') base = base.where('parent_id', 'is', null);
    else if (query.parent_id) base = base.where('parent_id', '=', query.parent_id);
    if (query.q) {
      const q = query.q;
      const like = containsPattern(q);
      base = base.where((eb) =>
        eb.or([
          sql<boolean>`search_vector @@ (websearch_to_tsquery('english', ${q}) || websearch_to_tsquery('german', ${q}))`,
          eb('slug', 'ilike', like),
          sql<boolean>`title->>'en' ILIKE ${like}`,
          sql<boolean>`title->>'de' ILIKE ${like}`,
        ]),
      );
    }
    const [column, direction] = SORTS[query.sort ?? '-updated_at'] ?? ['updated_at', 'desc'];
    const page = await fetchPage(
      base.select(PAGE_COLUMNS).orderBy(column, direction).orderBy('id'),
      base.select((eb) => eb.fn.countAll<number>().as('n')),
      query,
      (row) => row,
    );
    return { ...page, items: await this.views(this.db, page.items) };
  }

  async get(id: string): Promise<PageView> {
    const row = await this.db
      .selectFrom('pages')
      .select(PAGE_COLUMNS)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw pageError('pages.not_found');
    return this.view(this.db, row);
  }

  /** Every live page, nested under its parent, siblings by sort_order then slug. */
  async tree(): Promise<TreeNode[]> {
    const rows = await this.db
      .selectFrom('pages')
      .select(['id', 'slug', 'title', 'status', 'sort_order', 'version', 'parent_id'])
      .where('deleted_at', 'is', null)
      .orderBy('sort_order')
      .orderBy('slug')
      .execute();
    const children = new Map<string | null, typeof rows>();
    const ids = new Set(rows.map((r) => r.id));
    for (const row of rows) {
      // A live page under a deleted parent (only possible by direct writes) shows at the top.
      const parent = row.parent_id && ids.has(row.parent_id) ? row.parent_id : null;
      children.set(parent, [...(children.get(parent) ?? []), row]);
    }
    const build = (parent: string | null, prefix: string, depth: number): TreeNode[] =>
      depth > 100
        ? []
        : (children.get(parent) ?? []).map((r) => ({
            id: r.id,
            slug: r.slug,
            path: `${prefix}/${r.slug}`,
            title: r.title as TextValue,
            status: r.status,
            sort_order: r.sort_order,
            version: r.version,
            children: build(r.id, `${prefix}/${r.slug}`, depth + 1),
          }));
    return build(null, '', 0);
  }

  // ----- writing ---------------------------------------------------------------------------------------------

  private async lock(trx: Transaction<DB>, id: string): Promise<PageRow> {
    const row = await trx
      .selectFrom('pages')
      .select(PAGE_COLUMNS)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw pageError('pages.not_found');
    return row;
  }

  private async lockLive(trx: Transaction<DB>, id: string, version: number | undefined): Promise<PageRow> {
    const row = await this.lock(trx, id);
    if (row.deleted_at) throw pageError('pages.not_found');
    if (version !== undefined && row.version !== version) throw staleVersion(row.version);
    return row;
  }

  /** The parent must be a live page, and not the page itself or one of its descendants. */
  private async checkParent(trx: Transaction<DB>, id: string | null, parentId: string): Promise<void> {
    const parent = await trx
      .selectFrom('pages')
      .select('id')
      .where('id', '=', parentId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!parent) {
      throw pageError('pages.parent_not_found', {}, [
        { field: 'parent_id', code: 'parent_not_found', message: `no live page ${parentId}` },
      ]);
    }
    if (id === null) return;
    const ancestors = await sql<{ id: string }>`
      WITH RECURSIVE up(id, next, depth) AS (
        SELECT id, parent_id, 0 FROM pages WHERE id = ${parentId}
        UNION ALL
        SELECT p.id, p.parent_id, up.depth + 1 FROM up JOIN pages p ON p.id = up.next WHERE up.depth < 1000
      )
      SELECT id FROM up`.execute(trx);
    if (ancestors.rows.some((r) => r.id === id)) throw this.cycle();
  }

  private cycle(): AppError {
    return pageError('pages.cycle', {}, [
      { field: 'parent_id', code: 'cycle', message: 'the page itself or one of its subpages' },
    ]);
  }

  /** Cancels the page's publication jobs that have not run yet. */
  private async cancelScheduled(trx: Transaction<DB>, id: string): Promise<void> {
    const pending = await sql<{ id: string }>`
      SELECT id FROM pgboss.job
      WHERE name = ${PUBLISH_QUEUE} AND state IN ('created', 'retry') AND data->>'page_id' = ${id}`.execute(
      trx,
    );
    for (const job of pending.rows) await this.deps.jobs.cancel(PUBLISH_QUEUE, job.id, trx);
  }

  private async withSlugCheck<T>(slug: string | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (isSlugViolation(error)) throw pageError('pages.slug_taken', { slug: slug ?? '' });
      throw error;
    }
  }

  async create(auth: AuthContext, input: PageCreate, actor: AuditActor): Promise<PageView> {
    checkSlug(input.slug);
    if (input.blocks) checkBlockShapes(input.blocks);
    return this.withSlugCheck(input.slug, () =>
      writeTransaction(this.db, actor, async (trx) => {
        if (input.parent_id) await this.checkParent(trx, null, input.parent_id);
        if (input.blocks) await checkBlocks(trx, input.blocks);
        const row = await trx
          .insertInto('pages')
          .values({
            ...(columnsOf(input) as object),
            slug: input.slug,
            title: JSON.stringify(input.title),
            status: 'draft',
            created_by: auth.user.id,
            updated_by: auth.user.id,
          })
          .returning(PAGE_COLUMNS)
          .executeTakeFirstOrThrow();
        return this.view(trx, row);
      }),
    );
  }

  async update(auth: AuthContext, id: string, patch: PagePatch, actor: AuditActor): Promise<PageView> {
    checkSlug(patch.slug);
    if (patch.blocks) checkBlockShapes(patch.blocks);
    return this.withSlugCheck(patch.slug, () =>
      writeTransaction(this.db, actor, async (trx) => {
        await this.lockLive(trx, id, patch.version);
        if (patch.parent_id) await this.checkParent(trx, id, patch.parent_id);
        if (patch.blocks) await checkBlocks(trx, patch.blocks);
        const changes = columnsOf(patch);
        if (Object.keys(changes).length > 0) {
          await trx
            .updateTable('pages')
            .set({ ...changes, updated_by: auth.user.id })
            .where('id', '=', id)
            .execute();
        }
        return this.view(trx, await this.lock(trx, id));
      }),
    );
  }

  /** Soft delete: into the trash, restorable. A scheduled page goes back to draft, its job cancelled. */
  async remove(auth: AuthContext, id: string, version: number | undefined, actor: AuditActor): Promise<void> {
    await writeTransaction(this.db, actor, async (trx) => {
      const row = await this.lockLive(trx, id, version);
      const child = await trx
        .selectFrom('pages')
        .select('id')
        .where('parent_id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (child) throw pageError('pages.has_children');
      await this.cancelScheduled(trx, id);
      await trx
        .updateTable('pages')
        .set({
          deleted_at: this.deps.clock(),
          updated_by: auth.user.id,
          ...(row.status === 'scheduled' ? { status: 'draft', scheduled_at: null } : {}),
        })
        .where('id', '=', id)
        .execute();
    });
  }

  async restore(auth: AuthContext, id: string, actor: AuditActor): Promise<PageView> {
    let slug = '';
    try {
      return await writeTransaction(this.db, actor, async (trx) => {
        const row = await this.lock(trx, id);
        slug = row.slug;
        if (!row.deleted_at) throw pageError('pages.not_deleted');
        if (row.parent_id) {
          const parent = await trx
            .selectFrom('pages')
            .select('deleted_at')
            .where('id', '=', row.parent_id)
            .executeTakeFirst();
          if (parent?.deleted_at) throw pageError('pages.parent_deleted');
        }
        await trx
          .updateTable('pages')
          .set({ deleted_at: null, updated_by: auth.user.id })
          .where('id', '=', id)
          .execute();
        return this.view(trx, await this.lock(trx, id));
      });
    } catch (error) {
      if (isSlugViolation(error)) throw pageError('pages.slug_taken', { slug });
      throw error;
    }
  }

  /** Deletes a page from the trash for good (super admins only). Its audit trail stays. */
  async purge(auth: AuthContext, id: string, actor: AuditActor): Promise<void> {
    await writeTransaction(this.db, actor, async (trx) => {
      const row = await this.lock(trx, id);
      if (auth.user.role !== 'super_admin') throw pageError('pages.purge_super_admin_only');
      if (!row.deleted_at) throw pageError('pages.not_deleted');
      const child = await trx.selectFrom('pages').select('id').where('parent_id', '=', id).executeTakeFirst();
      if (child) throw pageError('pages.has_children');
      await this.cancelScheduled(trx, id);
      await trx.deleteFrom('pages').where('id', '=', id).execute();
    });
  }

  /** Moves and orders many pages at once, in one transaction; the result must still be a tree. */
  async reorder(auth: AuthContext, items: ReorderItem[], actor: AuditActor): Promise<PageView[]> {
    const ids = items.map((i) => i.id);
    if (new Set(ids).size !== ids.length) {
      throw platformError('validation.failed', { summary: 'a page is listed twice' }, [
        { field: 'body', code: 'duplicate', message: 'each page once' },
      ]);
    }
    return writeTransaction(this.db, actor, async (trx) => {
      const locked = await trx
        .selectFrom('pages')
        .select(['id', 'version', 'deleted_at'])
        .where('id', 'in', ids)
        .orderBy('id')
        .forUpdate()
        .execute();
      const byId = new Map(locked.map((r) => [r.id, r]));
      for (const item of items) {
        const row = byId.get(item.id);
        if (!row || row.deleted_at)
          throw pageError('pages.not_found', {}, [{ field: 'id', code: 'not_found', message: item.id }]);
        if (item.version !== undefined && item.version !== row.version) throw staleVersion(row.version);
      }
      const live = await trx
        .selectFrom('pages')
        .select(['id', 'parent_id'])
        .where('deleted_at', 'is', null)
        .execute();
      const parentOf = new Map(live.map((r) => [r.id, r.parent_id]));
      for (const item of items) parentOf.set(item.id, item.parent_id);
      for (const item of items) {
        if (item.parent_id !== null && !live.some((r) => r.id === item.parent_id)) {
          throw pageError('pages.parent_not_found', {}, [
            { field: 'parent_id', code: 'parent_not_found', message: `no live page ${item.parent_id}` },
          ]);
        }
        const seen = new Set<string>();
        for (let at: string | null = item.id; at !== null; at = parentOf.get(at) ?? null) {
          if (seen.has(at)) throw this.cycle();
          seen.add(at);
        }
      }
      for (const item of items) {
        await trx
          .updateTable('pages')
          .set({ parent_id: item.parent_id, sort_order: item.sort_order, updated_by: auth.user.id })
          .where('id', '=', item.id)
          .execute();
      }
      const rows = await trx
        .selectFrom('pages')
        .select(PAGE_COLUMNS)
        .where('id', 'in', ids)
        .orderBy('sort_order')
        .orderBy('slug')
        .execute();
      return this.views(trx, rows);
    });
  }

  // ----- workflow --------------------------------------------------------------------------------------------

  async transition(
    auth: AuthContext,
    id: string,
    action: WorkflowAction,
    input: { version: number; scheduled_at?: string | undefined },
    actor: AuditActor,
  ): Promise<PageView> {
    const { from, to } = TRANSITIONS[action];
    let when: Date | undefined;
    if (action === 'schedule') {
      when = new Date(input.scheduled_at ?? '');
      if (Number.isNaN(when.getTime()) || when <= this.deps.clock()) {
        throw pageError('pages.schedule_in_past', {}, [
          { field: 'scheduled_at', code: 'future', message: 'must lie in the future' },
        ]);
      }
    }
    return writeTransaction(this.db, actor, async (trx) => {
      const row = await this.lockLive(trx, id, input.version);
      if (!from.includes(row.status as PageStatus)) {
        throw pageError('pages.invalid_transition', { status: row.status, action });
      }
      await this.cancelScheduled(trx, id);
      const changes: Updateable<Pages> = { status: to, updated_by: auth.user.id, scheduled_at: null };
      if (action === 'publish') changes.published_at = this.deps.clock();
      if (when) {
        changes.scheduled_at = when;
        await this.deps.jobs.send(
          PUBLISH_QUEUE,
          { page_id: id, scheduled_at: when.toISOString() },
          { startAfter: when, executor: trx },
        );
      }
      await trx.updateTable('pages').set(changes).where('id', '=', id).execute();
      return this.view(trx, await this.lock(trx, id));
    });
  }

  /**
   * The job: publishes the page if it is still scheduled for exactly that time (a page rescheduled, unscheduled,
   * published by hand or deleted meanwhile is left alone, so a late or repeated job changes nothing).
   */
  async publishScheduled(pageId: string, scheduledAt: string): Promise<void> {
    await writeTransaction(this.db, SYSTEM_ACTOR, async (trx) => {
      const row = await trx
        .selectFrom('pages')
        .select(['status', 'scheduled_at', 'deleted_at'])
        .where('id', '=', pageId)
        .forUpdate()
        .executeTakeFirst();
      if (!row || row.deleted_at || row.status !== 'scheduled') return;
      if (row.scheduled_at?.toISOString() !== new Date(scheduledAt).toISOString()) return;
      await trx
        .updateTable('pages')
        .set({ status: 'published', published_at: row.scheduled_at, scheduled_at: null })
        .where('id', '=', pageId)
        .execute();
    });
  }

  // ----- history ---------------------------------------------------------------------------------------------

  async history(id: string, query: { page: number; per_page: number }): Promise<Page<HistoryEntry>> {
    await this.get(id);
    const base = this.db
      .selectFrom('audit_logs')
      .where('table_name', '=', 'pages')
      .where('record_id', '=', id);
    return fetchPage(
      base
        .select([
          'id',
          'event_type',
          'created_at',
          'user_id',
          'user_email',
          'changed_fields',
          'old_values',
          'new_values',
        ])
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc'),
      base.select((eb) => eb.fn.countAll<number>().as('n')),
      query,
      (r) => ({ ...r, created_at: r.created_at.toISOString() }),
    );
  }

  /**
   * Brings back the page's content as it was before the change `auditId` (for its creation: as created) as a
   * new version: title, content, excerpt, blocks, meta fields, og_image, canonical_url, and the slug if no
   * other live page uses it now. Hierarchy and status stay as they are.
   */
  async restoreFromHistory(
    auth: AuthContext,
    id: string,
    auditId: string,
    version: number,
    actor: AuditActor,
  ): Promise<PageView> {
    const entry = await this.db
      .selectFrom('audit_logs')
      .select(['old_values', 'new_values'])
      .where('id', '=', auditId)
      .where('table_name', '=', 'pages')
      .where('record_id', '=', id)
      .executeTakeFirst();
    if (!entry) throw pageError('pages.history_not_found');
    const state = (entry.old_values ?? entry.new_values) as Record<string, unknown> | null;
    if (!state || typeof state !== 'object' || !state['title']) throw pageError('pages.history_empty');
    const patch: Record<string, unknown> = { version };
    for (const field of CONTENT_FIELDS) if (field in state) patch[field] = state[field];
    const slug = state['slug'];
    if (typeof slug === 'string' && !RESERVED_SLUGS.has(slug)) {
      const taken = await this.db
        .selectFrom('pages')
        .select('id')
        .where('slug', '=', slug)
        .where('deleted_at', 'is', null)
        .where('id', '<>', id)
        .executeTakeFirst();
      if (!taken) patch['slug'] = slug;
    }
    return this.update(auth, id, patch as unknown as PagePatch, actor);
  }
}
