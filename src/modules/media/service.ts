import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Kysely, Transaction } from 'kysely';
import sharp from 'sharp';
import { SYSTEM_ACTOR, writeTransaction, type AuditActor } from '../../platform/audit/context.ts';
import type { Clock } from '../../platform/clock.ts';
import { isUniqueViolation } from '../../platform/db/errors.ts';
import type { DB } from '../../platform/db/schema.ts';
import { assertThat, type ErrorDetail, staleVersion } from '../../platform/http/errors.ts';
import { iso } from '../../platform/http/schemas.ts';
import type { Page } from '../../platform/http/pagination.ts';
import type { Queue } from '../../platform/jobs/index.ts';
import type { Storage } from '../../platform/storage/index.ts';
import { detectType, durationSeconds, type MediaKind } from './detect.ts';
import { mediaError } from './errors.ts';
import {
  findMedia,
  insertMedia,
  listMedia,
  liveMediaByHash,
  liveMediaIds,
  liveMediaRows,
  liveMediaMimeType,
  lockMedia,
  setMediaVariants,
  softDeleteMedia,
  updateMedia,
  type MediaRow,
} from './repository.ts';
import type {
  MediaListQuery,
  MediaMeta,
  MediaPatch,
  MediaUsage,
  MediaView,
  MediaWithUsage,
  Translated,
} from './schemas.ts';

export const VARIANTS_QUEUE = 'media.variants';
/** Widths of the WebP variants of an image; only those narrower than the original are made. */
export const VARIANT_WIDTHS = [320, 768, 1536] as const;

/** The job of media.variants: the item whose variants to make. */
export interface VariantsJob {
  id: string;
}

/** A WebP variant as stored in media_files.variants. */
interface Variant {
  width: number;
  height: number;
  size: number;
  key: string;
}

/** A use of an item as the module of its records answers it (the registry adds the provider's kind). */
export type ProvidedUsage = Omit<MediaUsage, 'kind'>;

/**
 * A module's answer to "where is this item used?" for its own kind of records (pages: blocks, og_image,
 * content; consultants: the photo). Registered once per kind with app.media.registerUsage.
 */
export interface MediaUsageProvider {
  /** What its records are called in a usage: 'page', 'consultant', … */
  readonly kind: string;
  /** The item's uses in these records; `executor` is the caller's transaction when there is one: read through it. */
  usages(mediaId: string, executor: Kysely<DB>): Promise<ProvidedUsage[]>;
  /**
   * On a confirmed delete of an item in use, inside its transaction: let go of the references that must not point
   * at a deleted item (a consultant's photo is cleared). Without it the references stay as they are (a page's
   * blocks keep the id, the file is no longer served).
   */
  release?(mediaId: string, trx: Transaction<DB>, actor: AuditActor): Promise<void>;
  /**
   * The permission a release changes records under (consultants: consultants.manage). A confirmed delete needs it
   * for each record of this kind it would change, globally or by a grant scoped to `<kind>:<id>`.
   */
  readonly releasePermission?: string;
}

/** Whether the caller may do `permission`, globally or on `resource` (identity's `can`, bound to the caller). */
export type MayDo = (permission: string, resource: string) => boolean;

export interface MediaDeps {
  db: Kysely<DB>;
  storage: Storage;
  variants: Queue<VariantsJob>;
  clock: Clock;
  /** The upload limit in MB (the setting media.max_upload_mb), read at each upload. */
  maxUploadMb: () => Promise<number>;
}

export function kindOf(mime: string): MediaKind {
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('audio/')) return 'audio';
  if (mime.startsWith('video/')) return 'video';
  return 'document';
}

export function toMediaView(row: MediaRow): MediaView {
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
    deleted_at: iso(row.deleted_at),
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
  readonly #usageProviders: MediaUsageProvider[] = [];

  constructor(private readonly deps: MediaDeps) {}

  /** Adds a module's answer to "where is this item used?" (the where-used list and the delete check ask all). */
  registerUsage(provider: MediaUsageProvider): void {
    if (this.#usageProviders.some((p) => p.kind === provider.kind)) {
      throw new Error(`media usage of kind "${provider.kind}" is registered twice`);
    }
    this.#usageProviders.push(provider);
  }

  /** Which of `ids` are live items (not deleted); `executor`: the caller's transaction. */
  liveIds(ids: string[], executor: Kysely<DB> = this.db): Promise<Set<string>> {
    return liveMediaIds(executor, [...new Set(ids)]);
  }

  /** The live items among `ids`, by id, as the API shows them (the website renders them). */
  async liveViews(ids: string[]): Promise<Map<string, MediaView>> {
    const rows = await liveMediaRows(this.db, [...new Set(ids)]);
    return new Map(rows.map((row) => [row.id, toMediaView(row)]));
  }

  /** The MIME type of a live item (undefined when there is none): read through `executor` inside a transaction. */
  liveMimeType(id: string, executor: Kysely<DB> = this.db): Promise<string | undefined> {
    return liveMediaMimeType(executor, id);
  }

  private get db() {
    return this.deps.db;
  }

  async maxUploadBytes(): Promise<{ bytes: number; mb: number }> {
    const mb = await this.deps.maxUploadMb();
    return { bytes: mb * 1024 * 1024, mb };
  }

  async list(query: MediaListQuery): Promise<Page<MediaView>> {
    const page = await listMedia(this.db, query);
    return { ...page, items: page.items.map(toMediaView) };
  }

  private async row(id: string, live = false): Promise<MediaRow> {
    const row = await findMedia(this.db, id, live);
    assertThat(row, () => mediaError('media.not_found'));
    return row;
  }

  async get(id: string): Promise<MediaWithUsage> {
    const row = await this.row(id);
    return { ...toMediaView(row), used_in: await this.usage(id) };
  }

  /** Every place the item is used, as the registered providers answer it (in the order they registered). */
  async usage(id: string, executor: Kysely<DB> = this.db): Promise<MediaUsage[]> {
    const usages: MediaUsage[] = [];
    for (const provider of this.#usageProviders) {
      for (const found of await provider.usages(id, executor)) usages.push({ kind: provider.kind, ...found });
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
    const existing = await liveMediaByHash(this.db, hash);
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
        const inserted = await insertMedia(trx, {
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
        });
        if (raster) await this.deps.variants.send({ id: inserted.id }, { executor: trx });
        return inserted;
      });
      return { item: toMediaView(row), duplicate: false };
    } catch (error) {
      // The same bytes uploaded at the same moment: the other upload won; answer its item.
      if (isUniqueViolation(error)) {
        const winner = await liveMediaByHash(this.db, hash);
        if (winner) return { item: toMediaView(winner), duplicate: true };
      }
      throw error;
    }
  }

  async update(id: string, patch: MediaPatch, actor: AuditActor): Promise<MediaView> {
    return writeTransaction(this.db, actor, async (trx) => {
      const current = await lockMedia(trx, id);
      assertThat(current && !current.deleted_at, () => mediaError('media.not_found'));
      if (current.version !== patch.version) throw staleVersion(current.version);
      const row = await updateMedia(trx, id, {
        ...(patch.title !== undefined ? { title: json(patch.title) } : {}),
        ...(patch.alt_text !== undefined ? { alt_text: json(patch.alt_text) } : {}),
        ...(patch.caption !== undefined ? { caption: json(patch.caption) } : {}),
        ...(patch.tags !== undefined ? { tags: normalizeTags(patch.tags) ?? [] } : {}),
        ...(patch.folder !== undefined ? { folder: patch.folder } : {}),
        ...(patch.original_filename !== undefined
          ? { original_filename: displayName(patch.original_filename, 'bin') }
          : {}),
      });
      return toMediaView(row);
    });
  }

  /**
   * Soft delete: the row gets deleted_at and the file stays on disk (a purge is a later task). An item in use
   * anywhere (any registered kind) needs `confirm`; otherwise 409 media.in_use lists where it is used. With it,
   * each kind lets go of what must not point at a deleted item, in the same transaction.
   */
  async remove(
    id: string,
    options: { confirm?: boolean | undefined; version?: number | undefined },
    actor: AuditActor,
    may: MayDo,
  ): Promise<void> {
    await writeTransaction(this.db, actor, async (trx) => {
      const current = await lockMedia(trx, id);
      assertThat(current && !current.deleted_at, () => mediaError('media.not_found'));
      if (options.version !== undefined && current.version !== options.version) {
        throw staleVersion(current.version);
      }
      const used = await this.usage(id, trx);
      if (used.length > 0 && !options.confirm) {
        const details: ErrorDetail[] = used.map((u) => ({
          field: `${u.kind}:${u.id}`,
          code: 'in_use',
          message: `${u.kind} "${u.label}" (${u.status}): ${u.where}${u.detail ? ` (${u.detail})` : ''}`,
        }));
        throw mediaError('media.in_use', { count: used.length }, details);
      }
      if (used.length > 0) {
        // Letting go changes other modules' records: only for a caller who may change each of them.
        const refused = this.#usageProviders.flatMap((provider) => {
          const permission = provider.release ? provider.releasePermission : undefined;
          if (!permission) return [];
          return used.filter((u) => u.kind === provider.kind && !may(permission, `${u.kind}:${u.id}`));
        });
        if (refused.length > 0) {
          throw mediaError(
            'media.release_forbidden',
            { count: refused.length },
            refused.map((u) => ({
              field: `${u.kind}:${u.id}`,
              code: 'forbidden',
              message: `deleting would change ${u.kind} "${u.label}", which you may not change`,
            })),
          );
        }
        for (const provider of this.#usageProviders) await provider.release?.(id, trx, actor);
      }
      await softDeleteMedia(trx, id, this.deps.clock());
    });
  }

  /**
   * Brings an item back from the trash: its file is served again, and pages that still point at it show it
   * (a consultant's photo that the delete cleared stays cleared). 409 media.not_deleted for a live item, 409
   * media.duplicate_live when the same file was uploaded again meanwhile (one live item per file).
   */
  async restore(id: string, actor: AuditActor): Promise<MediaView> {
    try {
      return await writeTransaction(this.db, actor, async (trx) => {
        const current = await lockMedia(trx, id);
        assertThat(current, () => mediaError('media.not_found'));
        assertThat(current.deleted_at, () => mediaError('media.not_deleted'));
        const hash = (await findMedia(trx, id))?.file_hash;
        const twin = hash ? await liveMediaByHash(trx, hash) : undefined;
        if (twin) throw mediaError('media.duplicate_live', { name: twin.original_filename });
        return toMediaView(await updateMedia(trx, id, { deleted_at: null }));
      });
    } catch (error) {
      // The same file uploaded between the check and the update.
      if (isUniqueViolation(error, 'uq_media_files_hash'))
        throw mediaError('media.duplicate_live', { name: '' });
      throw error;
    }
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
    const row = await findMedia(this.db, id);
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
    await writeTransaction(this.db, SYSTEM_ACTOR, (trx) => setMediaVariants(trx, id, variants));
    return variants;
  }
}
