import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { malformed } from '../../platform/http/error-handler.ts';
import { AppError, platformError } from '../../platform/http/errors.ts';
import { pageOf } from '../../platform/http/pagination.ts';
import { errorResponses, fileResponses, IdParams } from '../../platform/http/schemas.ts';
import { isStorableText, UNSTORABLE_TEXT } from '../../platform/http/validation.ts';
import { authOf, byIdParam, can, isPermission } from '../identity/index.ts';
import { mediaError } from './errors.ts';
import {
  FOLDER_PATTERN,
  MediaDeleteQuery,
  MediaItem,
  MediaListQuery,
  MediaPatch,
  Uploaded,
  UploadForm,
  Usage,
  VariantParams,
  WithUsage,
  type MediaMeta,
  type Translated,
} from './schemas.ts';
import type { MediaService } from './service.ts';

/** A multipart text field holding a {"en","de"} object as JSON. */
function translatedField(name: string, value: string): Translated | null {
  const fail = () =>
    platformError('validation.failed', { summary: `${name} must be a JSON object {"en", "de"}` }, [
      { field: `body.${name}`, code: 'type', message: 'must be a JSON object with "en" and/or "de" strings' },
    ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw fail();
  }
  if (parsed === null) return null;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw fail();
  const entries = Object.entries(parsed);
  if (entries.some(([k, v]) => !['en', 'de'].includes(k) || typeof v !== 'string' || v.length > 1000)) {
    throw fail();
  }
  return parsed;
}

function invalidField(name: string, message: string): AppError {
  return platformError('validation.failed', { summary: `${name} ${message}` }, [
    { field: `body.${name}`, code: 'format', message },
  ]);
}

/** The metadata fields of an upload (text parts beside the file). */
function metaOf(fields: Map<string, string>): MediaMeta {
  const meta: MediaMeta = {};
  for (const name of ['title', 'alt_text', 'caption'] as const) {
    const value = fields.get(name);
    if (value !== undefined && value !== '') meta[name] = translatedField(name, value);
  }
  const folder = fields.get('folder');
  if (folder !== undefined && folder !== '') {
    if (folder.length > 200 || !new RegExp(FOLDER_PATTERN).test(folder)) {
      throw invalidField('folder', 'must be letters, digits, space, _ and -, separated by /');
    }
    meta.folder = folder;
  }
  const tags = fields.get('tags');
  if (tags !== undefined && tags !== '') {
    const list = tags.split(',').map((t) => t.trim());
    if (list.length > 30 || list.some((t) => t.length > 50)) {
      throw invalidField('tags', 'must be at most 30 comma-separated tags of up to 50 characters');
    }
    meta.tags = list;
  }
  return meta;
}

/**
 * Whether a multipart parse failed because the body stopped early: the client sent part of it and ended or closed
 * before the closing boundary (busboy's "Unexpected end of multipart data", a part "terminated early", or the
 * file stream's premature close).
 */
function truncated(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if ((error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') return true;
  return /unexpected end of (multipart data|form)|terminated early/i.test(error.message);
}

const cutOff = () => malformed('body', 'the multipart body ends before its closing boundary');

/**
 * Watches the raw body for the close delimiter of the multipart body ("--<boundary>--"). @fastify/multipart ends
 * the parts quietly when the body stops early between parts or inside a text field, so this is how a cut-off body
 * is told from a whole one. Call before the body is read; the answer holds once it has been.
 */
function watchClosingBoundary(request: FastifyRequest): () => boolean {
  const match = /boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(request.headers['content-type'] ?? '');
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) return () => true; // busboy refuses such a body itself
  const close = Buffer.from(`--${boundary}--`);
  const keep = close.length - 1;
  let tail = Buffer.alloc(0);
  let seen = false;
  const onData = (chunk: Buffer) => {
    if (seen) return;
    // The delimiter may straddle two chunks: look at the end of the last one joined to the start of this one.
    seen = chunk.includes(close) || Buffer.concat([tail, chunk.subarray(0, keep)]).includes(close);
    tail =
      chunk.length >= keep
        ? Buffer.from(chunk.subarray(chunk.length - keep))
        : Buffer.concat([tail, chunk]).subarray(-keep);
  };
  request.raw.on('data', onData);
  return () => {
    request.raw.off('data', onData);
    return seen;
  };
}

/** Reads the one file part and the text fields of a multipart upload, stopping at the size limit. */
async function readUpload(
  request: FastifyRequest,
  limit: { bytes: number; mb: number },
): Promise<{ bytes: Buffer; filename: string; fields: Map<string, string> }> {
  if (!request.isMultipart()) throw platformError('request.unsupported_media_type');
  // Without a boundary the parser cannot find a single part (busboy throws "Boundary not found").
  if (!/;\s*boundary=/i.test(request.headers['content-type'] ?? '')) {
    throw malformed('content-type', 'multipart/form-data needs a boundary parameter');
  }
  const fields = new Map<string, string>();
  let file: { bytes: Buffer; filename: string } | undefined;
  const parts = request.parts({
    limits: { fileSize: limit.bytes, files: 1, fields: 10, fieldSize: 10_000, parts: 12 },
  });
  const closed = watchClosingBoundary(request);
  let whole = false;
  try {
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || file) {
          part.file.resume();
          throw invalidField(part.fieldname, 'is not expected: send one file, in the field "file"');
        }
        file = { bytes: await part.toBuffer(), filename: part.filename };
      } else if (typeof part.value === 'string') {
        fields.set(part.fieldname, part.value);
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw mediaError('media.too_large', { max_mb: limit.mb });
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      throw invalidField('file', 'send one file and at most 10 fields');
    }
    if (truncated(error)) throw cutOff();
    throw error;
  } finally {
    whole = closed();
  }
  // A body cut off between parts or inside a text field ends the parts without an error.
  if (!whole) throw cutOff();
  if (!file) throw mediaError('media.file_missing');
  // The JSON routes' text guard does not see multipart parts: the same rule, for the fields and the file name.
  for (const [name, value] of [...fields, ['filename', file.filename] as const]) {
    if (!isStorableText(value)) throw invalidField(name, UNSTORABLE_TEXT);
  }
  return { ...file, fields };
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);
}

async function serve(
  media: MediaService,
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  width?: number,
): Promise<FastifyReply> {
  const file = await media.open(id, width);
  if (!file) throw mediaError('media.not_found');
  const etag = `"${file.etag}"`;
  const svg = file.mime === 'image/svg+xml';
  void reply
    .header('etag', etag)
    // The bytes of an id never change: a new upload is a new id.
    .header('cache-control', 'public, max-age=31536000, immutable')
    .header('x-content-type-options', 'nosniff')
    // SVG can carry scripts: it is offered as a download and, opened anyway, runs nothing.
    .header(
      'content-security-policy',
      svg ? "default-src 'none'; style-src 'unsafe-inline'; sandbox" : "default-src 'none'",
    )
    .header('content-disposition', `${svg ? 'attachment' : 'inline'}; filename="${file.filename}"`);
  if (etagMatches(request.headers['if-none-match'], etag)) {
    file.stream.destroy();
    return reply.status(304).send();
  }
  return reply.type(file.mime).header('content-length', file.size).send(file.stream);
}

export async function mediaRoutes(app: FastifyInstance, media: MediaService): Promise<void> {
  // Multipart only in this module's scope: no other route accepts multipart bodies.
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { files: 1, fields: 10, fieldSize: 10_000, parts: 12 } });
    const r = scope.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['media'];
    const read = { access: { permission: 'media.read' as const } };
    const write = { access: { permission: 'media.write' as const } };
    // The routes about one item (:id) also honour a grant scoped to it ("media:<id>").
    const item = byIdParam('media');
    const readItem = { access: { permission: 'media.read' as const, resource: item } };
    const writeItem = { access: { permission: 'media.write' as const, resource: item } };

    r.get(
      '/api/v1/media',
      {
        config: read,
        schema: {
          operationId: 'listMedia',
          tags,
          summary: 'List media (type, MIME type, folder, tag, text), newest first, paginated',
          querystring: MediaListQuery,
          response: { 200: pageOf(MediaItem), ...errorResponses(400, 401, 403) },
        },
      },
      (request) => media.list(request.query),
    );

    r.post(
      '/api/v1/media',
      {
        config: { ...write, documentedBody: UploadForm },
        schema: {
          operationId: 'uploadMedia',
          tags,
          summary: 'Upload a file (multipart/form-data)',
          description:
            'One file part named "file", plus optional text fields: title, alt_text, caption (JSON {"en","de"}), ' +
            'folder, tags (comma-separated). The type is detected from the bytes and must be on the allowlist ' +
            '(415 media.type_not_allowed); the size limit is the setting media.max_upload_mb (413). The same ' +
            'bytes as a live item answer 200 with that item and duplicate: true; a new item answers 201.',
          consumes: ['multipart/form-data'],
          response: { 200: Uploaded, 201: Uploaded, ...errorResponses(400, 401, 403, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const upload = await readUpload(request, await media.maxUploadBytes());
        const { item, duplicate } = await media.upload(
          upload.bytes,
          { filename: upload.filename, uploadedBy: authOf(request).user.id, ...metaOf(upload.fields) },
          request.actor,
        );
        return reply.status(duplicate ? 200 : 201).send({ ...item, duplicate });
      },
    );

    r.get(
      '/api/v1/media/:id',
      {
        config: readItem,
        schema: {
          operationId: 'getMedia',
          tags,
          summary: 'One item (deleted ones too), with where it is used (used_in)',
          params: IdParams,
          response: { 200: WithUsage, ...errorResponses(400, 401, 403, 404) },
        },
      },
      (request) => media.get(request.params.id),
    );

    r.get(
      '/api/v1/media/:id/usage',
      {
        config: readItem,
        schema: {
          operationId: 'getMediaUsage',
          tags,
          summary: 'Where the item is used: each record (page, consultant, …) and the place in it',
          description:
            'Pages whose blocks, og_image or content hold the item, consultants whose photo it is, and whatever ' +
            'else a module registers: kind, id, label and status of the record, where in it (and detail).',
          params: IdParams,
          response: { 200: Type.Object({ items: Type.Array(Usage) }), ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => ({ items: await media.usage(request.params.id) }),
    );

    r.patch(
      '/api/v1/media/:id',
      {
        config: writeItem,
        schema: {
          operationId: 'updateMedia',
          tags,
          summary: 'Change title, alt text, caption, tags, folder or the shown file name (send the version)',
          params: IdParams,
          body: MediaPatch,
          response: { 200: MediaItem, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      (request) => media.update(request.params.id, request.body, request.actor),
    );

    r.post(
      '/api/v1/media/:id/restore',
      {
        config: writeItem,
        schema: {
          operationId: 'restoreMedia',
          tags,
          summary: 'Bring an item back from the trash (its file is served again)',
          description:
            'Pages that still point at it show it again; a consultant photo the delete cleared stays cleared. ' +
            '409 media.not_deleted for an item that is not deleted; 409 media.duplicate_live when the same ' +
            'file was uploaded again meanwhile (one live item per file).',
          params: IdParams,
          response: { 200: MediaItem, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      (request) => media.restore(request.params.id, request.actor),
    );

    r.delete(
      '/api/v1/media/:id',
      {
        config: writeItem,
        schema: {
          operationId: 'deleteMedia',
          tags,
          summary: 'Delete an item (soft: the file stays until a purge)',
          description:
            'An item in use (see its usage) answers 409 media.in_use with one detail per use, unless confirm=true. ' +
            'Deleted with confirm, it lets go of a consultant’s photo (cleared), which needs consultants.manage for ' +
            'that consultant (else 403 media.release_forbidden); pages keep their reference, whose file is no ' +
            'longer served.',
          params: IdParams,
          querystring: MediaDeleteQuery,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        await media.remove(request.params.id, request.query, request.actor, (permission, resource) =>
          isPermission(permission) ? can(auth, permission, resource) : false,
        );
        return reply.status(204).send(null);
      },
    );

    r.get(
      '/api/v1/media/:id/file',
      {
        config: { access: 'public' },
        schema: {
          operationId: 'getMediaFile',
          tags,
          summary: 'The file (public by its unguessable id), with ETag and immutable caching',
          description:
            'SVG is served as a download (Content-Disposition: attachment) under a CSP that runs nothing.',
          params: IdParams,
          response: { ...fileResponses('The file, as uploaded'), ...errorResponses(400, 404) },
        },
      },
      (request, reply) => serve(media, request, reply, request.params.id),
    );

    r.get(
      '/api/v1/media/:id/variants/:width',
      {
        config: { access: 'public' },
        schema: {
          operationId: 'getMediaVariant',
          tags,
          summary: 'A WebP variant of an image (see the item’s variants)',
          params: VariantParams,
          response: { ...fileResponses('The WebP variant'), ...errorResponses(400, 404) },
        },
      },
      (request, reply) => serve(media, request, reply, request.params.id, request.params.width),
    );
  });
}
