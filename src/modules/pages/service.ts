import type { Kysely, Transaction, Updateable } from 'kysely';
import { SYSTEM_ACTOR, writeTransaction, type AuditActor } from '../../platform/audit/context.ts';
import type { Clock } from '../../platform/clock.ts';
import { isUniqueViolation } from '../../platform/db/errors.ts';
import type { DB, Pages } from '../../platform/db/schema.ts';
import { assertThat, platformError, staleVersion, type AppError } from '../../platform/http/errors.ts';
import type { Page } from '../../platform/http/pagination.ts';
import { iso } from '../../platform/http/schemas.ts';
import type { Queue } from '../../platform/jobs/index.ts';
import type { AuditService } from '../audit/index.ts';
import type { AuthContext } from '../identity/index.ts';
import type { MediaService } from '../media/index.ts';
import { checkBlocks, checkBlockShapes } from './blocks.ts';
import { pageError } from './errors.ts';
import {
  deletePage,
  findPage,
  hasChildren,
  insertPage,
  isDeleted,
  isLivePage,
  listPages,
  liveParentLinks,
  liveTreeRows,
  lockPage,
  lockPages,
  lockSchedule,
  pagesByIds,
  pathsOf,
  selfAndAncestorIds,
  slugTakenByOther,
  updatePage,
  type PageRow,
  type PageSummaryRow,
} from './repository/pages.ts';
import type {
  HistoryEntry,
  PageCreate,
  PageListQuery,
  PagePatch,
  PageStatus,
  PageSummary,
  PageView,
  ReorderItem,
  TransitionInput,
  TreeNode,
  WorkflowAction,
} from './schemas.ts';

/** The queue of scheduled publications; a job carries the page and the time it was scheduled for. */
export const PUBLISH_QUEUE = 'pages.publish';

export interface PublishJob {
  page_id: string;
  scheduled_at: string;
}

export interface PagesDeps {
  db: Kysely<DB>;
  clock: Clock;
  publishQueue: Queue<PublishJob>;
  /** Which referenced media exist (the media module's service). */
  media: Pick<MediaService, 'liveIds'>;
  /** A page's entries in the audit trail (the audit module's service). */
  audit: Pick<AuditService, 'history' | 'entry'>;
}

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
  // The website's consultant pages (/{lang}/consultants/…) would hide a page of this slug.
  'consultants',
  'sitemap',
  'robots',
  'favicon',
  'metrics',
  'docs',
  'feed',
  'rss',
  'preview',
]);

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

/** From which statuses each action may start, and where it leads. */
const TRANSITIONS: Record<WorkflowAction, { from: PageStatus[]; to: PageStatus }> = {
  publish: { from: ['draft', 'scheduled', 'archived'], to: 'published' },
  unpublish: { from: ['published', 'scheduled'], to: 'draft' },
  unschedule: { from: ['scheduled'], to: 'draft' },
  archive: { from: ['draft', 'scheduled', 'published'], to: 'archived' },
  schedule: { from: ['draft', 'scheduled', 'archived'], to: 'scheduled' },
};

type Localized = PageView['title'];

function toView(row: PageRow, path: string): PageView {
  return {
    ...row,
    title: row.title as Localized,
    content: row.content as Localized | null,
    excerpt: row.excerpt as Localized | null,
    meta_title: row.meta_title as Localized | null,
    meta_description: row.meta_description as Localized | null,
    meta_keywords: row.meta_keywords as Localized | null,
    path,
    published_at: iso(row.published_at),
    scheduled_at: iso(row.scheduled_at),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    deleted_at: iso(row.deleted_at),
  };
}

function toSummary(row: PageSummaryRow, path: string): PageSummary {
  return {
    ...row,
    title: row.title as Localized,
    path,
    published_at: iso(row.published_at),
    scheduled_at: iso(row.scheduled_at),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
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
function columnsOf(fields: Partial<PagePatch>): Updateable<Pages> {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields as Record<string, unknown>)) {
    if (value === undefined || key === 'version') continue;
    changes[key] = JSON_FIELDS.has(key) && value !== null ? JSON.stringify(value) : value;
  }
  return changes;
}

function cycle(): AppError {
  return pageError('pages.cycle', {}, [
    { field: 'parent_id', code: 'cycle', message: 'the page itself or one of its subpages' },
  ]);
}

function parentNotFound(parentId: string): AppError {
  return pageError('pages.parent_not_found', {}, [
    { field: 'parent_id', code: 'parent_not_found', message: `no live page ${parentId}` },
  ]);
}

/** The pages staff edit: tree, blocks, workflow (with scheduled publication), trash and history. */
export class PagesService {
  constructor(private readonly deps: PagesDeps) {}

  private get db() {
    return this.deps.db;
  }

  // ----- reading ---------------------------------------------------------------------------------------------

  /** The rows with their full paths, made into what the API answers by `make`. */
  private async withPaths<R extends { id: string; slug: string }, V>(
    db: Kysely<DB>,
    rows: R[],
    make: (row: R, path: string) => V,
  ): Promise<V[]> {
    const paths = await pathsOf(
      db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => make(r, paths.get(r.id) ?? `/${r.slug}`));
  }

  private views(db: Kysely<DB>, rows: PageRow[]): Promise<PageView[]> {
    return this.withPaths(db, rows, toView);
  }

  private async view(db: Kysely<DB>, row: PageRow): Promise<PageView> {
    const [view] = await this.views(db, [row]);
    assertThat(view, () => pageError('pages.not_found'));
    return view;
  }

  /** A page of the list: summaries, without content, blocks or SEO fields. */
  async list(query: PageListQuery): Promise<Page<PageSummary>> {
    const page = await listPages(this.db, query);
    return { ...page, items: await this.withPaths(this.db, page.items, toSummary) };
  }

  async get(id: string): Promise<PageView> {
    const row = await findPage(this.db, id);
    assertThat(row, () => pageError('pages.not_found'));
    return this.view(this.db, row);
  }

  /** Every live page, nested under its parent, siblings by sort_order then slug. */
  async tree(): Promise<TreeNode[]> {
    const rows = await liveTreeRows(this.db);
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
            title: r.title as Localized,
            status: r.status,
            sort_order: r.sort_order,
            version: r.version,
            children: build(r.id, `${prefix}/${r.slug}`, depth + 1),
          }));
    return build(null, '', 0);
  }

  // ----- writing ---------------------------------------------------------------------------------------------

  private async lock(trx: Transaction<DB>, id: string): Promise<PageRow> {
    const row = await lockPage(trx, id);
    assertThat(row, () => pageError('pages.not_found'));
    return row;
  }

  private async lockLive(trx: Transaction<DB>, id: string, version: number | undefined): Promise<PageRow> {
    const row = await this.lock(trx, id);
    assertThat(!row.deleted_at, () => pageError('pages.not_found'));
    if (version !== undefined && row.version !== version) throw staleVersion(row.version);
    return row;
  }

  /** The parent must be a live page, and not the page itself or one of its descendants. */
  private async checkParent(trx: Transaction<DB>, id: string | null, parentId: string): Promise<void> {
    assertThat(await isLivePage(trx, parentId), () => parentNotFound(parentId));
    if (id === null) return;
    if ((await selfAndAncestorIds(trx, parentId)).includes(id)) throw cycle();
  }

  /** Blocks' shapes and that the media they reference exist, read inside the transaction. */
  private checkBlocks(trx: Transaction<DB>, blocks: unknown[]): Promise<void> {
    return checkBlocks(blocks, (ids) => this.deps.media.liveIds(ids, trx));
  }

  /** Cancels the page's publication jobs that have not run yet. */
  private async cancelScheduled(trx: Transaction<DB>, id: string): Promise<void> {
    const queue = this.deps.publishQueue;
    const pending = await queue.findWhere({ field: 'page_id', value: id }, { executor: trx });
    for (const job of pending) await queue.cancel(job, trx);
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
        if (input.blocks) await this.checkBlocks(trx, input.blocks);
        const row = await insertPage(trx, {
          ...(columnsOf(input) as object),
          slug: input.slug,
          title: JSON.stringify(input.title),
          status: 'draft',
          created_by: auth.user.id,
          updated_by: auth.user.id,
        });
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
        if (patch.blocks) await this.checkBlocks(trx, patch.blocks);
        const changes = columnsOf(patch);
        if (Object.keys(changes).length > 0) {
          await updatePage(trx, id, { ...changes, updated_by: auth.user.id });
        }
        return this.view(trx, await this.lock(trx, id));
      }),
    );
  }

  /** Soft delete: into the trash, restorable. A scheduled page goes back to draft, its job cancelled. */
  async remove(auth: AuthContext, id: string, version: number | undefined, actor: AuditActor): Promise<void> {
    await writeTransaction(this.db, actor, async (trx) => {
      const row = await this.lockLive(trx, id, version);
      assertThat(!(await hasChildren(trx, id, true)), () => pageError('pages.has_children'));
      await this.cancelScheduled(trx, id);
      await updatePage(trx, id, {
        deleted_at: this.deps.clock(),
        updated_by: auth.user.id,
        ...(row.status === 'scheduled' ? { status: 'draft', scheduled_at: null } : {}),
      });
    });
  }

  async restore(auth: AuthContext, id: string, actor: AuditActor): Promise<PageView> {
    let slug = '';
    try {
      return await writeTransaction(this.db, actor, async (trx) => {
        const row = await this.lock(trx, id);
        slug = row.slug;
        assertThat(row.deleted_at, () => pageError('pages.not_deleted'));
        if (row.parent_id && (await isDeleted(trx, row.parent_id))) throw pageError('pages.parent_deleted');
        await updatePage(trx, id, { deleted_at: null, updated_by: auth.user.id });
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
      assertThat(auth.user.role === 'super_admin', () => pageError('pages.purge_super_admin_only'));
      assertThat(row.deleted_at, () => pageError('pages.not_deleted'));
      assertThat(!(await hasChildren(trx, id, false)), () => pageError('pages.has_children'));
      await this.cancelScheduled(trx, id);
      await deletePage(trx, id);
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
      const locked = await lockPages(trx, ids);
      const byId = new Map(locked.map((r) => [r.id, r]));
      for (const item of items) {
        const row = byId.get(item.id);
        if (!row || row.deleted_at)
          throw pageError('pages.not_found', {}, [{ field: 'id', code: 'not_found', message: item.id }]);
        if (item.version !== undefined && item.version !== row.version) throw staleVersion(row.version);
      }
      const live = await liveParentLinks(trx);
      const parentOf = new Map(live.map((r) => [r.id, r.parent_id]));
      for (const item of items) parentOf.set(item.id, item.parent_id);
      for (const item of items) {
        if (item.parent_id !== null && !live.some((r) => r.id === item.parent_id)) {
          throw parentNotFound(item.parent_id);
        }
        const seen = new Set<string>();
        for (let at: string | null = item.id; at !== null; at = parentOf.get(at) ?? null) {
          if (seen.has(at)) throw cycle();
          seen.add(at);
        }
      }
      for (const item of items) {
        await updatePage(trx, item.id, {
          parent_id: item.parent_id,
          sort_order: item.sort_order,
          updated_by: auth.user.id,
        });
      }
      return this.views(trx, await pagesByIds(trx, ids));
    });
  }

  // ----- workflow --------------------------------------------------------------------------------------------

  async transition(
    auth: AuthContext,
    id: string,
    action: WorkflowAction,
    input: TransitionInput,
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
        await this.deps.publishQueue.send(
          { page_id: id, scheduled_at: when.toISOString() },
          { startAfter: when, executor: trx },
        );
      }
      await updatePage(trx, id, changes);
      return this.view(trx, await this.lock(trx, id));
    });
  }

  /**
   * The job: publishes the page if it is still scheduled for exactly that time (a page rescheduled, unscheduled,
   * published by hand or deleted meanwhile is left alone, so a late or repeated job changes nothing).
   */
  async publishScheduled(pageId: string, scheduledAt: string): Promise<void> {
    await writeTransaction(this.db, SYSTEM_ACTOR, async (trx) => {
      const row = await lockSchedule(trx, pageId);
      if (!row || row.deleted_at || row.status !== 'scheduled') return;
      if (row.scheduled_at?.toISOString() !== new Date(scheduledAt).toISOString()) return;
      await updatePage(trx, pageId, {
        status: 'published',
        published_at: row.scheduled_at,
        scheduled_at: null,
      });
    });
  }

  // ----- history ---------------------------------------------------------------------------------------------

  async history(id: string, query: { page: number; per_page: number }): Promise<Page<HistoryEntry>> {
    await this.get(id);
    const page = await this.deps.audit.history('pages', id, query);
    return {
      ...page,
      items: page.items.map((e) => ({
        id: e.id,
        event_type: e.event_type,
        created_at: e.created_at,
        user_id: e.user_id,
        user_email: e.user_email,
        changed_fields: e.changed_fields,
        old_values: e.old_values,
        new_values: e.new_values,
      })),
    };
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
    const entry = await this.deps.audit.entry('pages', id, auditId);
    assertThat(entry, () => pageError('pages.history_not_found'));
    const state = entry.old_values ?? entry.new_values;
    if (!state?.['title']) throw pageError('pages.history_empty');
    const patch: Record<string, unknown> = { version };
    for (const field of CONTENT_FIELDS) if (field in state) patch[field] = state[field];
    const slug = state['slug'];
    if (
      typeof slug === 'string' &&
      !RESERVED_SLUGS.has(slug) &&
      !(await slugTakenByOther(this.db, slug, id))
    ) {
      patch['slug'] = slug;
    }
    return this.update(auth, id, patch as unknown as PagePatch, actor);
  }
}
