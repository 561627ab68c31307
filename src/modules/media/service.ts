import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { sql, type Kysely, type Selectable } from 'kysely';
import sharp from 'sharp';
import { SYSTEM_ACTOR, writeTransaction, type AuditActor } from '../../platform/audit/context.ts';
import type { Clock } from '../../platform/clock.ts';
import type { DB, JsonValue, MediaFiles } from '../../platform/db/schema.ts';
import { type ErrorDetail, staleVersion } from '../../platform/http/errors.ts';
import { fetchPage, type Page } from '../../platform/http/pagination.ts';
import type { Jobs } from '../../platform/jobs/index.ts';
import type { Storage } from '../../platform/storage/index.ts';
import { detectType, durationSeconds, type MediaKind } from './detect.ts';
import { containsPattern, isUniqueViolation } from '../../platform/db/errors.ts';
import { mediaError } from './errors.ts';

export const VARIANTS_QUEUE = 'media.variants';
/** Widths of the WebP variants of an image; only those narrower than the original are made. */
export const VARIANT_WIDTHS = [320, 768, 1536] as const;

export interface Translated {
  en?: string | undefined;
  de?: string | undefined;
}

export interface MediaMeta {
  title?: Translated | null | undefined;
  alt_text?: Translated | null | undefined;
  caption?: Translated | null | undefined;
  tags?: string[] | undefined;
  folder?: string | null | undefined;
}

export interface MediaPatch extends MediaMeta {
  version: number;
  original_filename?: string | undefined;
}

export interface MediaListQuery {
  type?: MediaKind | undefined;
  mime_type?: string | undefined;
  folder?: string | undefined;
  tag?: string | undefined;
  q?: string | undefined;
  deleted?: 'exclude' | 'include' | 'only' | undefined;
  page: number;
  per_page: number;
}

export interface Variant {
  width: number;
  height: number;
  size: number;
  key: string;
}

export interface MediaView {
  id: string;
  filename: string;
  original_filename: string;
  mime_type: string;
  kind: MediaKind;
  file_size: number;
  file_hash: string | null;
  width: number | null;
  height: number | null;
  duration: number | null;
  title: Translated | null;
  alt_text: Translated | null;
  caption: Translated | null;
  tags: string[];
  folder: string | null;
  url: string;
  variants: { width: number; height: number; size: number; url: string }[];
  uploaded_by: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  version: number;
}

export interface MediaUsage {
  page_id: string;
  slug: string;
  status: string;
  title: JsonValue;
  /** Where on the page: "og_image", "content", or "blocks[2]" (with the block's type when it has one). */
  where: string;
  block_type: string | null;
}

export interface MediaDeps {
  db: Kysely<DB>;
  storage: Storage;
  jobs: Jobs;
  clock: Clock;
  /** The upload limit in MB (the setting media.max_upload_mb), read at each upload. */
  maxUploadMb: () => Promise<number>;
}

type Row = Selectable<MediaFiles>;

export function kindOf(mime: string): MediaKind {
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('audio/')) return 'audio';
  if (mime.startsWith('video/')) return 'video';
  return 'document';
}

const iso = (d: Date | string) => new Date(d).toISOString();

export function toMediaView(row: Row): MediaView {
  const variants = Array.isArray(row.variants) ? (row.variants as unknown as Variant[]) : [];
  return {
    id: row.id,
    filename: row.filename,
    original_filename: row.original_filename,
    mime_type: row.mime_type,
    kind: kindOf(row.mime_type),
    file_size: row.file_size,
    file_hash: row.file_hash,
    width: row.width,
    height: row.height,
    duration: row.duration,
    title: row.title as Translated | null,
    alt_text: row.alt_text as Translated | null,
    caption: row.caption as Translated | null,
    tags: row.tags ?? [],
    folder: row.folder,
    url: `/api/v1/media/${row.id}/file`,
    variants: variants
      .map((v) => ({
        width: v.width,
        height: v.height,
        size: v.size,
        url: `/api/v1/media/${row.id}/variants/${String(v.width)}`,
      }))
      .sort((a, b) => a.width - b.width),
    uploaded_by: row.uploaded_by,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    deleted_at: row.deleted_at ? iso(row.deleted_at) : null,
    version: row.version,
  };
}

/** A name for people only (shown, offered on download); never part of a path. */
export function displayName(name: string | undefined, ext: string): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim()
    .slice(0, 255);
  return clean && clean !== '.' && clean !== '..' ? clean : `upload.${ext}`;
}

const json = (value: Translated | null | undefined) =>
  value === undefined ? undefined : value === null ? null : JSON.stringify(value);

function normalizeTags(tags: string[] | undefined): string[] | undefined {
  if (!tags) return undefined;
  return [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
}

export class MediaService {
  constructor(private readonly deps: MediaDeps) {}

  private get db() {
    return this.deps.db;
  }

  async maxUploadBytes(): Promise<{ bytes: number; mb: number }> {
    const mb = await this.deps.maxUploadMb();
    return { bytes: mb * 1024 * 1024, mb };
  }

  async list(query: MediaListQuery): Promise<Page<MediaView>> {
    let base = this.db.selectFrom('media_files');
    const deleted = query.deleted ?? 'exclude';
    if (deleted === 'exclude') base = base.where('deleted_at', 'is', null);
    if (deleted === 'only') base = base.where('deleted_at', 'is not', null);
    if (query.type === 'document') {
      base = base.where((eb) =>
        eb.and([
          eb('mime_type', 'not like', 'image/%'),
          eb('mime_type', 'not like', 'audio/%'),
          eb('mime_type', 'not like', 'video/%'),
        ]),
      );
    } else if (query.type) base = base.where('mime_type', 'like', `${query.type}/%`);
    if (query.mime_type) base = base.where('mime_type', '=', query.mime_type);
    if (query.folder !== undefined) base = base.where('folder', '=', query.folder);
    if (query.tag) base = base.where(sql<boolean>`tags @> ARRAY[${query.tag}]::text[]`);
    if (query.q) {
      const like = containsPattern(query.q);
      base = base.where((eb) =>
        eb.or([
          eb('original_filename', 'ilike', like),
          eb(sql`title->>'en'`, 'ilike', like),
          eb(sql`title->>'de'`, 'ilike', like),
          eb(sql`alt_text->>'en'`, 'ilike', like),
          eb(sql`alt_text->>'de'`, 'ilike', like),
          eb(sql`caption->>'en'`, 'ilike', like),
          eb(sql`caption->>'de'`, 'ilike', like),
        ]),
      );
    }
    return fetchPage(
      base.selectAll().orderBy('created_at', 'desc').orderBy('id'),
      base.select((eb) => eb.fn.countAll<number>().as('n')),
      query,
      toMediaView,
    );
  }

  private async row(id: string, live = false): Promise<Row> {
    let query = this.db.selectFrom('media_files').selectAll().where('id', '=', id);
    if (live) query = query.where('deleted_at', 'is', null);
    const row = await query.executeTakeFirst();
    if (!row) throw mediaError('media.not_found');
    return row;
  }

  async get(id: string): Promise<MediaView & { used_in: MediaUsage[] }> {
    const row = await this.row(id);
    return { ...toMediaView(row), used_in: await this.usage(id) };
  }

  /**
   * Pages that reference the item: its id anywhere in `blocks` (any block type, any depth: `media_id`,
   * `items[].media_id`, …), in `og_image` (the id or a URL holding it), or in the text of `content`.
   */
  async usage(id: string, executor: Kysely<DB> = this.db): Promise<MediaUsage[]> {
    const vars = sql`jsonb_build_object('id', ${id}::text)`;
    const pattern = `%${id}%`;
    const { rows } = await sql<{
      id: string;
      slug: string;
      status: string;
      title: JsonValue;
      in_og: boolean;
      in_content: boolean;
      block_index: number | null;
      block_type: string | null;
      in_blocks: boolean;
    }>`
      SELECT p.id, p.slug, p.status, p.title,
             COALESCE(p.og_image LIKE ${pattern}, false) AS in_og,
             COALESCE(p.content::text LIKE ${pattern}, false) AS in_content,
             COALESCE(jsonb_path_exists(p.blocks, '$.** ? (@ == $id)', ${vars}), false) AS in_blocks,
             b.block_index, b.block_type
      FROM pages p
      LEFT JOIN LATERAL (
        SELECT (e.ordinality - 1)::int AS block_index, e.value->>'type' AS block_type
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p.blocks) = 'array' THEN p.blocks ELSE '[]'::jsonb END)
             WITH ORDINALITY AS e
        WHERE jsonb_path_exists(e.value, '$.** ? (@ == $id)', ${vars})
      ) b ON true
      WHERE p.deleted_at IS NULL
        AND (p.og_image LIKE ${pattern}
             OR p.content::text LIKE ${pattern}
             OR jsonb_path_exists(p.blocks, '$.** ? (@ == $id)', ${vars}))
      ORDER BY p.slug, b.block_index`.execute(executor);
    const usages: MediaUsage[] = [];
    const seen = new Set<string>();
    for (const r of rows) {
      const base = { page_id: r.id, slug: r.slug, status: r.status, title: r.title };
      const once = (where: string, blockType: string | null) => {
        const key = `${r.id} ${where}`;
        if (seen.has(key)) return;
        seen.add(key);
        usages.push({ ...base, where, block_type: blockType });
      };
      if (r.in_og) once('og_image', null);
      if (r.in_content) once('content', null);
      if (r.block_index !== null) once(`blocks[${String(r.block_index)}]`, r.block_type);
      else if (r.in_blocks) once('blocks', null);
    }
    return usages;
  }

  /**
   * Stores an upload. Its type comes from its bytes and must be on the allowlist; the same bytes as a live
   * item answer that item (duplicate). Images get their dimensions, WAV/MP4/M4A their duration; raster images
   * get WebP variants from a job enqueued in the same transaction.
   */
  async upload(
    bytes: Buffer,
    input: { filename?: string | undefined; uploadedBy: string } & MediaMeta,
    actor: AuditActor,
  ): Promise<{ item: MediaView; duplicate: boolean }> {
    const detected = detectType(bytes);
    if (!detected) throw mediaError('media.type_not_allowed');
    const hash = createHash('sha256').update(bytes).digest('hex');
    const existing = await this.liveByHash(hash);
    if (existing) return { item: toMediaView(existing), duplicate: true };

    let width: number | null = null;
    let height: number | null = null;
    let duration: number | null = null;
    const raster = detected.kind === 'image' && detected.mime !== 'image/svg+xml';
    if (raster) {
      try {
        const meta = await sharp(bytes, { animated: false }).metadata();
        width = meta.autoOrient.width;
        height = meta.autoOrient.height;
      } catch {
        throw mediaError('media.invalid_file', { type: detected.mime });
      }
    }
    if (detected.kind === 'audio' || detected.kind === 'video') duration = durationSeconds(bytes, detected);

    const filename = `${hash}.${detected.ext}`;
    const key = `${hash.slice(0, 2)}/${hash.slice(2, 4)}/${filename}`;
    if (!(await this.deps.storage.exists(key))) await this.deps.storage.put(key, bytes);

    try {
      const row = await writeTransaction(this.db, actor, async (trx) => {
        const inserted = await trx
          .insertInto('media_files')
          .values({
            filename,
            original_filename: displayName(input.filename, detected.ext),
            file_path: key,
            file_size: bytes.length,
            mime_type: detected.mime,
            file_hash: hash,
            width,
            height,
            duration,
            title: json(input.title) ?? null,
            alt_text: json(input.alt_text) ?? null,
            caption: json(input.caption) ?? null,
            tags: normalizeTags(input.tags) ?? [],
            folder: input.folder ?? null,
            uploaded_by: input.uploadedBy,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        if (raster) await this.deps.jobs.send(VARIANTS_QUEUE, { id: inserted.id }, { executor: trx });
        return inserted;
      });
      return { item: toMediaView(row), duplicate: false };
    } catch (error) {
      // The same bytes uploaded at the same moment: the other upload won; answer its item.
      if (isUniqueViolation(error)) {
        const winner = await this.liveByHash(hash);
        if (winner) return { item: toMediaView(winner), duplicate: true };
      }
      throw error;
    }
  }

  private liveByHash(hash: string): Promise<Row | undefined> {
    return this.db
      .selectFrom('media_files')
      .selectAll()
      .where('file_hash', '=', hash)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  }

  async update(id: string, patch: MediaPatch, actor: AuditActor): Promise<MediaView> {
    return writeTransaction(this.db, actor, async (trx) => {
      const current = await trx
        .selectFrom('media_files')
        .select(['id', 'version', 'deleted_at'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!current || current.deleted_at) throw mediaError('media.not_found');
      if (current.version !== patch.version) throw staleVersion(current.version);
      const row = await trx
        .updateTable('media_files')
        .set({
          ...(patch.title !== undefined ? { title: json(patch.title) } : {}),
          ...(patch.alt_text !== undefined ? { alt_text: json(patch.alt_text) } : {}),
          ...(patch.caption !== undefined ? { caption: json(patch.caption) } : {}),
          ...(patch.tags !== undefined ? { tags: normalizeTags(patch.tags) ?? [] } : {}),
          ...(patch.folder !== undefined ? { folder: patch.folder } : {}),
          ...(patch.original_filename !== undefined
            ? { original_filename: displayName(patch.original_filename, 'bin') }
            : {}),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toMediaView(row);
    });
  }

  /**
   * Soft delete: the row gets deleted_at and the file stays on disk (a purge is a later task). An item that
   * pages still use needs `confirm`; otherwise 409 media.in_use lists where it is used.
   */
  async remove(
    id: string,
    options: { confirm?: boolean | undefined; version?: number | undefined },
    actor: AuditActor,
  ): Promise<void> {
    await writeTransaction(this.db, actor, async (trx) => {
      const current = await trx
        .selectFrom('media_files')
        .select(['id', 'version', 'deleted_at'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!current || current.deleted_at) throw mediaError('media.not_found');
      if (options.version !== undefined && current.version !== options.version) {
        throw staleVersion(current.version);
      }
      const used = await this.usage(id, trx);
      if (used.length > 0 && !options.confirm) {
        const details: ErrorDetail[] = used.map((u) => ({
          field: `pages.${u.slug}`,
          code: 'in_use',
          message: `page ${u.page_id} (${u.slug}) ${u.where}${u.block_type ? ` (${u.block_type})` : ''}`,
        }));
        throw mediaError('media.in_use', { count: used.length }, details);
      }
      await trx
        .updateTable('media_files')
        .set({ deleted_at: this.deps.clock() })
        .where('id', '=', id)
        .execute();
    });
  }

  /** The stored file (or one WebP variant) of a live item, for serving. */
  async open(
    id: string,
    variantWidth?: number,
  ): Promise<{ stream: Readable; size: number; mime: string; etag: string; filename: string } | null> {
    const row = await this.row(id, true);
    let key = row.file_path;
    let mime = row.mime_type;
    let etag = row.file_hash ?? row.id;
    let filename = row.filename;
    if (variantWidth !== undefined) {
      const variants = Array.isArray(row.variants) ? (row.variants as unknown as Variant[]) : [];
      const variant = variants.find((v) => v.width === variantWidth);
      if (!variant) throw mediaError('media.not_found');
      key = variant.key;
      mime = 'image/webp';
      etag = `${etag}-${String(variant.width)}`;
      filename = key.split('/').pop() ?? filename;
    }
    const file = await this.deps.storage.get(key);
    if (!file) return null;
    return { ...file, mime, etag, filename };
  }

  /** The job of media.variants: WebP copies of a raster image at each width narrower than the original. */
  async makeVariants(id: string): Promise<Variant[]> {
    const row = await this.db.selectFrom('media_files').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || row.deleted_at || !row.file_hash || !row.width) return [];
    const file = await this.deps.storage.get(row.file_path);
    if (!file) throw new Error(`media ${id}: file ${row.file_path} is missing`);
    const chunks: Buffer[] = [];
    for await (const chunk of file.stream) chunks.push(chunk as Buffer);
    const original = Buffer.concat(chunks);
    const variants: Variant[] = [];
    for (const width of VARIANT_WIDTHS) {
      if (width >= row.width) continue;
      const { data, info } = await sharp(original, { animated: false })
        .autoOrient()
        .resize({ width, withoutEnlargement: true })
        .webp({ quality: 80 })
        .toBuffer({ resolveWithObject: true });
      const key = `variants/${row.file_hash.slice(0, 2)}/${row.file_hash.slice(2, 4)}/${row.file_hash}-${String(width)}.webp`;
      await this.deps.storage.put(key, data);
      variants.push({ width: info.width, height: info.height, size: data.length, key });
    }
    // Bookkeeping: writing variants neither moves the version nor writes a row-change audit entry.
    await writeTransaction(this.db, SYSTEM_ACTOR, (trx) =>
      trx
        .updateTable('media_files')
        .set({ variants: JSON.stringify(variants) })
        .where('id', '=', id)
        .execute(),
    );
    return variants;
  }
}
