import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { InjectOptions } from 'fastify';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp, type ErrorJson } from '../../../test/fixture.ts';
import { as, type Session } from '../../../test/helpers/auth.ts';
import { seedEssentials } from '../../platform/seed.ts';

interface Item {
  id: string;
  filename: string;
  original_filename: string;
  mime_type: string;
  kind: string;
  file_size: number;
  file_hash: string;
  width: number | null;
  height: number | null;
  duration: number | null;
  title: Record<string, string> | null;
  alt_text: Record<string, string> | null;
  caption: Record<string, string> | null;
  tags: string[];
  folder: string | null;
  url: string;
  variants: { width: number; height: number; size: number; url: string }[];
  version: number;
  deleted_at: string | null;
  duplicate?: boolean;
  used_in?: Usage[];
}
interface Usage {
  kind: string;
  id: string;
  label: string;
  status: string;
  where: string;
  detail: string | null;
}
interface Page<T> {
  items: T[];
  total: number;
}

type Part = { name: string; value: string } | { name: string; filename: string; data: Buffer; type?: string };

/** A multipart/form-data body as a browser sends it. */
function form(parts: Part[]): Pick<InjectOptions, 'payload' | 'headers'> {
  const boundary = `----magnetiq${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const file = 'data' in part;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"` +
          (file ? `; filename="${part.filename}"\r\nContent-Type: ${part.type ?? 'image/png'}` : '') +
          '\r\n\r\n',
      ),
      file ? part.data : Buffer.from(part.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** A real PNG of the given size, different each call (the colour is random). */
async function png(width = 800, height = 600): Promise<Buffer> {
  const [r, g, b] = randomBytes(3);
  return sharp({ create: { width, height, channels: 3, background: { r: r ?? 0, g: g ?? 0, b: b ?? 0 } } })
    .png()
    .toBuffer();
}

function wav(seconds: number): Buffer {
  const data = 8000 * seconds;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data, 40);
  return Buffer.concat([header, Buffer.alloc(data, 0x80)]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Every file under `dir`, as paths relative to it. */
function walk(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full, base) : [path.relative(base, full)];
  });
}

// The data directory sits one level down, so a file escaping it would land in a directory we can see.
const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'magnetiq-media-')), 'data');
const mediaRoot = path.join(dataDir, 'media');
const t = useTestApp({
  env: { DATA_DIR: dataDir },
  // The settings (media.max_upload_mb among them) as npm start seeds them.
  before: async (database) => {
    await seedEssentials(database.db, { email: 'root@example.com', password: 'a long enough password' });
  },
});
let editorS: Session;
let viewerS: Session;
let adminS: Session;
let editorId: string;

beforeAll(async () => {
  const [editor, viewer, admin] = await Promise.all([t.as('editor'), t.as('viewer'), t.as('admin')]);
  editorId = editor.user.id;
  [editorS, viewerS, adminS] = [editor.session, viewer.session, admin.session];
});

function upload(session: Session | undefined, parts: Part[]) {
  const options: InjectOptions = { method: 'POST', url: '/api/v1/media', ...form(parts) };
  return t.app.inject(session ? as(session, options) : options);
}

function get(session: Session | undefined, url: string, headers: Record<string, string> = {}) {
  const options: InjectOptions = { method: 'GET', url, headers };
  return t.app.inject(session ? as(session, options) : options);
}

async function uploaded(parts: Part[]): Promise<Item> {
  const response = await upload(editorS, parts);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Item>();
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe(`media library on ${t.engine}`, () => {
  it('uploads an image: type from the bytes, dimensions, a generated name, metadata fields', async () => {
    const bytes = await png(800, 600);
    const item = await uploaded([
      { name: 'title', value: JSON.stringify({ en: 'Team photo', de: 'Teamfoto' }) },
      { name: 'alt_text', value: JSON.stringify({ en: 'Five people', de: 'Fünf Personen' }) },
      { name: 'tags', value: 'team, office' },
      { name: 'folder', value: 'about/team' },
      // The header claims a JPEG; the bytes decide.
      { name: 'file', filename: 'Team Photo.jpg', data: bytes, type: 'image/jpeg' },
    ]);
    expect(item).toMatchObject({
      mime_type: 'image/png',
      kind: 'image',
      width: 800,
      height: 600,
      duration: null,
      file_size: bytes.length,
      file_hash: sha256(bytes),
      filename: `${sha256(bytes)}.png`,
      original_filename: 'Team Photo.jpg',
      title: { en: 'Team photo', de: 'Teamfoto' },
      alt_text: { en: 'Five people', de: 'Fünf Personen' },
      tags: ['team', 'office'],
      folder: 'about/team',
      duplicate: false,
      version: 1,
    });
    expect(
      existsSync(path.join(mediaRoot, sha256(bytes).slice(0, 2), sha256(bytes).slice(2, 4), item.filename)),
    ).toBe(true);
    // The audit trail names the uploader.
    const audit = await t.database.db
      .selectFrom('audit_logs')
      .select(['user_id', 'event_type'])
      .where('record_id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(audit.user_id).toBe(editorId);
  });

  it('refuses an upload named x.png whose bytes are an HTML file, and stores nothing', async () => {
    const before = walk(mediaRoot).length;
    const rows = await t.database.db.selectFrom('media_files').select('id').execute();
    const html = Buffer.from(
      '<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>\n',
    );
    const response = await upload(editorS, [
      { name: 'file', filename: 'x.png', data: html, type: 'image/png' },
    ]);
    expect(response.statusCode).toBe(415);
    expect(response.json<ErrorJson>().error.code).toBe('media.type_not_allowed');
    // A PNG signature in front of HTML is no image either.
    const fake = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), html]);
    const disguised = await upload(editorS, [{ name: 'file', filename: 'x.png', data: fake }]);
    expect([disguised.statusCode, disguised.json<ErrorJson>().error.code]).toEqual([
      422,
      'media.invalid_file',
    ]);
    expect(walk(mediaRoot).length).toBe(before);
    expect(await t.database.db.selectFrom('media_files').select('id').execute()).toHaveLength(rows.length);
  });

  it('stores the same image uploaded twice once, and answers the existing item as a duplicate', async () => {
    const bytes = await png(400, 300);
    const first = await uploaded([{ name: 'file', filename: 'first.png', data: bytes }]);
    const again = await upload(editorS, [{ name: 'file', filename: 'another-name.png', data: bytes }]);
    expect(again.statusCode).toBe(200);
    expect(again.json<Item>()).toMatchObject({
      id: first.id,
      duplicate: true,
      original_filename: 'first.png',
    });
    const rows = await t.database.db
      .selectFrom('media_files')
      .select('id')
      .where('file_hash', '=', sha256(bytes))
      .execute();
    expect(rows).toHaveLength(1);
    const stored = walk(mediaRoot).filter((f) => !f.startsWith('variants') && f.includes(sha256(bytes)));
    expect(stored).toEqual([
      path.join(sha256(bytes).slice(0, 2), sha256(bytes).slice(2, 4), `${sha256(bytes)}.png`),
    ]);
  });

  it('answers one item when the same bytes arrive at the same moment', async () => {
    const bytes = await png(120, 90);
    const answers = await Promise.all(
      [1, 2, 3].map((n) =>
        upload(editorS, [{ name: 'file', filename: `same-${String(n)}.png`, data: bytes }]),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 201]);
    expect(new Set(answers.map((a) => a.json<Item>().id)).size).toBe(1);
    const rows = await t.database.db
      .selectFrom('media_files')
      .select('id')
      .where('file_hash', '=', sha256(bytes))
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('never lets ../ in a file name or folder leave the media folder', async () => {
    const bytes = await png(64, 64);
    const names = ['../../../evil.png', '..\\..\\evil.png', '/etc/evil.png', '..', '../'];
    const items: Item[] = [];
    for (const [i, name] of names.entries()) {
      const data = i === 0 ? bytes : await png(64, 64);
      items.push(await uploaded([{ name: 'file', filename: name, data }]));
    }
    expect(items.map((i) => i.original_filename)).toEqual([
      'evil.png',
      'evil.png',
      'evil.png',
      'upload.png',
      'upload.png',
    ]);
    for (const item of items) {
      expect(item.filename).toMatch(/^[0-9a-f]{64}\.png$/);
      const row = await t.database.db
        .selectFrom('media_files')
        .select('file_path')
        .where('id', '=', item.id)
        .executeTakeFirstOrThrow();
      expect(row.file_path).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}\.png$/);
    }
    const folder = await upload(editorS, [
      { name: 'folder', value: '../../outside' },
      { name: 'file', filename: 'x.png', data: await png(32, 32) },
    ]);
    expect([folder.statusCode, folder.json<ErrorJson>().error.code]).toEqual([400, 'validation.failed']);
    const patched = await t.app.inject(
      as(editorS, {
        method: 'PATCH',
        url: `/api/v1/media/${items[0]?.id ?? ''}`,
        payload: { version: 1, folder: '../..', original_filename: '../../x.png' },
      }),
    );
    expect(patched.statusCode).toBe(400);
    // Nothing was written outside DATA_DIR/media, and no file carries a client's name.
    const sandbox = path.dirname(dataDir);
    expect(walk(sandbox).filter((f) => !f.startsWith(path.join('data', 'media') + path.sep))).toEqual([]);
    expect(walk(mediaRoot).some((f) => f.includes('evil'))).toBe(false);
    // A path in place of an id never reaches storage.
    for (const url of ['/api/v1/media/..%2F..%2Fapp-secret/file', '/api/v1/media/../../app-secret/file']) {
      expect([400, 404]).toContain((await get(undefined, url)).statusCode);
    }
  });

  it('applies the upload limit of the setting media.max_upload_mb', async () => {
    const setting = await get(adminS, '/api/v1/settings/media.max_upload_mb');
    const { version } = setting.json<{ version: number }>();
    const put = (value: number, v: number) =>
      t.app.inject(
        as(adminS, {
          method: 'PUT',
          url: '/api/v1/settings/media.max_upload_mb',
          payload: { value, version: v },
        }),
      );
    expect((await put(1, version)).statusCode).toBe(200);
    try {
      const big = Buffer.concat([PNG_SIGNATURE, randomBytes(1024 * 1024 + 10)]);
      const response = await upload(editorS, [{ name: 'file', filename: 'big.png', data: big }]);
      expect(response.statusCode).toBe(413);
      expect(response.json<ErrorJson>().error.code).toBe('media.too_large');
      expect(response.json<ErrorJson>().error.message).toContain('1 MB');
      // Just under the limit goes through (to type detection: these are not a valid PNG).
      const small = Buffer.concat([PNG_SIGNATURE, randomBytes(1024 * 1024 - 1000)]);
      expect((await upload(editorS, [{ name: 'file', filename: 's.png', data: small }])).statusCode).toBe(
        422,
      );
    } finally {
      expect((await put(25, version + 1)).statusCode).toBe(200);
    }
  });

  it('refuses a request without a file, or that is not multipart', async () => {
    const none = await upload(editorS, [{ name: 'title', value: '{"en":"x"}' }]);
    expect([none.statusCode, none.json<ErrorJson>().error.code]).toEqual([400, 'media.file_missing']);
    const json = await t.app.inject(as(editorS, { method: 'POST', url: '/api/v1/media', payload: {} }));
    expect(json.statusCode).toBe(415);
    const badTitle = await upload(editorS, [
      { name: 'title', value: '{"fr":"non"}' },
      { name: 'file', filename: 'a.png', data: await png(8, 8) },
    ]);
    expect(badTitle.statusCode).toBe(400);
  });

  it('refuses text the database cannot store in a form field or the file name, naming it', async () => {
    const before = (await get(editorS, '/api/v1/media')).json<Page<Item>>().total;
    const cases: [Part[], string][] = [
      [[{ name: 'title', value: '{"en": "a\u0000b"}' }], 'body.title'],
      [[{ name: 'folder', value: 'x\u0000' }], 'body.folder'],
      [[], 'body.filename'],
    ];
    for (const [fields, field] of cases) {
      const filename = field === 'body.filename' ? 'a\u0000.png' : 'ok.png';
      const res = await upload(editorS, [...fields, { name: 'file', filename, data: await png(20, 20) }]);
      expect(res.statusCode, field).toBe(400);
      expect(res.json<ErrorJson>().error.details[0]?.field).toBe(field);
    }
    expect((await get(editorS, '/api/v1/media')).json<Page<Item>>().total).toBe(before);
  });

  it('answers 400 request.malformed to multipart without a boundary', async () => {
    const { payload } = form([{ name: 'file', filename: 'a.png', data: await png(20, 20) }]);
    const res = await t.app.inject(
      as(editorS, {
        method: 'POST',
        url: '/api/v1/media',
        payload,
        headers: { 'content-type': 'multipart/form-data' },
      }),
    );
    expect(res.statusCode).toBe(400);
    const { error } = res.json<ErrorJson>();
    expect([error.code, error.details[0]?.field]).toEqual(['request.malformed', 'content-type']);
  });

  it('answers 400 request.malformed to an upload cut off before its multipart body ends, and stores nothing', async () => {
    const image = await png(40, 40);
    const whole = form([
      { name: 'title', value: '{"en":"cut"}' },
      { name: 'file', filename: 'cut.png', data: image },
    ]);
    const body = whole.payload as Buffer;
    const boundary = /boundary=(.+)$/.exec(whole.headers?.['content-type'] as string)?.[1] ?? '';
    const fileStart = body.indexOf('\r\n\r\n', body.indexOf('filename="cut.png"')) + 4;
    // In the middle of the file's bytes; in a text field; right after a part's headers; with no closing boundary.
    const cuts = [
      body.subarray(0, fileStart + 20),
      body.subarray(0, body.indexOf('{"en"') + 3),
      body.subarray(0, fileStart),
      body.subarray(0, body.lastIndexOf(`--${boundary}--`)),
    ];
    for (const payload of cuts) {
      const res = await t.app.inject(
        as(editorS, { method: 'POST', url: '/api/v1/media', headers: whole.headers, payload }),
      );
      expect([res.statusCode, res.json<ErrorJson>().error.code], `cut at ${String(payload.length)}`).toEqual([
        400,
        'request.malformed',
      ]);
    }
    // Nothing of it was stored (other tests' variant jobs may write meanwhile: look for this image alone).
    expect(walk(mediaRoot).filter((f) => f.includes(sha256(image)))).toEqual([]);

    // The whole body in small pieces (the closing boundary split across them) is an upload like any other.
    const pieces = Array.from({ length: Math.ceil(body.length / 7) }, (_, i) =>
      body.subarray(i * 7, i * 7 + 7),
    );
    const trickled = await t.app.inject(
      as(editorS, {
        method: 'POST',
        url: '/api/v1/media',
        headers: whole.headers,
        payload: Readable.from(pieces, { objectMode: false }),
      }),
    );
    expect(trickled.statusCode, trickled.body).toBe(201);
    expect(trickled.json<Item>().title).toEqual({ en: 'cut' });
  });

  it('lets a viewer list and read, but not upload, change or delete', async () => {
    const item = await uploaded([{ name: 'file', filename: 'v.png', data: await png(10, 10) }]);
    expect((await get(viewerS, '/api/v1/media')).statusCode).toBe(200);
    expect((await get(viewerS, `/api/v1/media/${item.id}`)).statusCode).toBe(200);
    const refused = await upload(viewerS, [{ name: 'file', filename: 'v.png', data: await png(10, 10) }]);
    expect([refused.statusCode, refused.json<ErrorJson>().error.code]).toEqual([403, 'auth.forbidden']);
    const patch = await t.app.inject(
      as(viewerS, { method: 'PATCH', url: `/api/v1/media/${item.id}`, payload: { version: 1, tags: ['x'] } }),
    );
    expect(patch.statusCode).toBe(403);
    expect(
      (await t.app.inject(as(viewerS, { method: 'DELETE', url: `/api/v1/media/${item.id}` }))).statusCode,
    ).toBe(403);
    expect((await get(undefined, '/api/v1/media')).statusCode).toBe(401);
    expect(
      (await upload(undefined, [{ name: 'file', filename: 'v.png', data: await png(10, 10) }])).statusCode,
    ).toBe(401);
  });

  it('serves the file publicly with ETag, immutable caching, nosniff, and 304 on If-None-Match', async () => {
    const bytes = await png(50, 40);
    const item = await uploaded([{ name: 'file', filename: 'served.png', data: bytes }]);
    const response = await get(undefined, item.url);
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.equals(bytes)).toBe(true);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.headers['etag']).toBe(`"${sha256(bytes)}"`);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(Number(response.headers['content-length'])).toBe(bytes.length);
    const again = await get(undefined, item.url, { 'if-none-match': `"${sha256(bytes)}"` });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const other = await get(undefined, item.url, { 'if-none-match': '"something-else"' });
    expect(other.statusCode).toBe(200);
    expect((await get(undefined, `/api/v1/media/${randomUUID()}/file`)).statusCode).toBe(404);
  });

  it('serves SVG only as a download under a CSP that runs nothing', async () => {
    const svg = Buffer.from(
      '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">' +
        '<script>alert(1)</script><rect width="10" height="10"/></svg>',
    );
    const item = await uploaded([{ name: 'file', filename: 'logo.svg', data: svg, type: 'image/svg+xml' }]);
    expect(item).toMatchObject({ mime_type: 'image/svg+xml', filename: `${sha256(svg)}.svg`, width: null });
    const response = await get(undefined, item.url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/svg+xml');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${sha256(svg)}.svg"`);
    expect(response.headers['content-security-policy']).toMatch(/^default-src 'none'.*sandbox/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    // HTML dressed as SVG is refused.
    const html = Buffer.from('<html><body><svg xmlns="http://www.w3.org/2000/svg"></svg></body></html>');
    expect((await upload(editorS, [{ name: 'file', filename: 'x.svg', data: html }])).statusCode).toBe(415);
  });

  it('reads the duration of a WAV upload', async () => {
    const item = await uploaded([{ name: 'file', filename: 'beep.wav', data: wav(3), type: 'audio/wav' }]);
    expect(item).toMatchObject({
      mime_type: 'audio/wav',
      kind: 'audio',
      duration: 3,
      width: null,
      variants: [],
    });
  });

  it('makes WebP variants in a job, never wider than the original, and serves them', async () => {
    const item = await uploaded([{ name: 'file', filename: 'wide.png', data: await png(1000, 500) }]);
    const done = await waitFor(async () => {
      const current = (await get(editorS, `/api/v1/media/${item.id}`)).json<Item>();
      return current.variants.length > 0 ? current : undefined;
    }, 'variants');
    expect(done.variants.map((v) => [v.width, v.height])).toEqual([
      [320, 160],
      [768, 384],
    ]);
    // Writing the variants did not move the version.
    expect(done.version).toBe(1);
    const variant = await get(undefined, done.variants[0]?.url ?? '');
    expect(variant.statusCode).toBe(200);
    expect(variant.headers['content-type']).toBe('image/webp');
    const meta = await sharp(variant.rawPayload).metadata();
    expect([meta.format, meta.width]).toEqual(['webp', 320]);
    expect((await get(undefined, `/api/v1/media/${item.id}/variants/1536`)).statusCode).toBe(404);
    expect(
      walk(mediaRoot).filter((f) => f.startsWith('variants') && f.includes(item.file_hash)),
    ).toHaveLength(2);
  });

  it('changes title, alt text, caption, tags and folder with optimistic locking, and filters the list', async () => {
    const item = await uploaded([{ name: 'file', filename: 'Skyline Berlin.png', data: await png(20, 20) }]);
    const patch = (payload: object) =>
      t.app.inject(as(editorS, { method: 'PATCH', url: `/api/v1/media/${item.id}`, payload }));
    const changed = await patch({
      version: 1,
      title: { en: 'Berlin skyline', de: 'Skyline von Berlin' },
      caption: { en: 'At dusk', de: 'In der Dämmerung' },
      alt_text: null,
      tags: ['berlin', 'city', 'berlin'],
      folder: 'places',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json<Item>()).toMatchObject({
      version: 2,
      title: { en: 'Berlin skyline', de: 'Skyline von Berlin' },
      alt_text: null,
      tags: ['berlin', 'city'],
      folder: 'places',
    });
    const stale = await patch({ version: 1, tags: [] });
    expect([stale.statusCode, stale.json<ErrorJson>().error.code]).toEqual([409, 'conflict.stale_version']);

    const list = async (query: string) =>
      (await get(viewerS, `/api/v1/media?${query}`)).json<Page<Item>>().items.map((i) => i.id);
    expect(await list('tag=berlin')).toEqual([item.id]);
    expect(await list('folder=places')).toEqual([item.id]);
    expect(await list('q=dämmerung')).toEqual([item.id]);
    expect(await list('q=skyline')).toContain(item.id);
    expect(await list('type=image&per_page=100')).toContain(item.id);
    expect(await list('type=audio')).not.toContain(item.id);
    expect(await list('mime_type=image/png&per_page=100')).toContain(item.id);
  });

  it('lists where an item is used, and deletes one in use only with confirm=true (softly)', async () => {
    const hero = await uploaded([{ name: 'file', filename: 'hero.png', data: await png(30, 30) }]);
    const galleryImage = await uploaded([{ name: 'file', filename: 'g.png', data: await png(30, 30) }]);
    const unused = await uploaded([{ name: 'file', filename: 'u.png', data: await png(30, 30) }]);
    const factories = t.factories;
    const page = await factories.page(editorId, {
      slug: factories.unique('home'),
      og_image: `/api/v1/media/${hero.id}/file`,
      blocks: JSON.stringify([
        { type: 'text', content: { en: 'Hi', de: 'Hallo' } },
        { type: 'hero', media_id: hero.id },
        {
          type: 'gallery',
          items: [{ media_id: unused.id.replace(/.$/, 'x') }, { media_id: galleryImage.id }],
        },
      ]),
    });

    const usage = (await get(viewerS, `/api/v1/media/${hero.id}`)).json<Item>().used_in;
    const onPage = { kind: 'page', id: page.id, label: 'About us', status: 'draft' };
    expect(usage).toEqual([
      { ...onPage, where: 'og_image', detail: null },
      { ...onPage, where: 'blocks[1]', detail: 'hero' },
    ]);
    const gallery = (await get(viewerS, `/api/v1/media/${galleryImage.id}/usage`)).json<{
      items: Usage[];
    }>();
    expect(gallery.items.map((u) => [u.kind, u.where, u.detail])).toEqual([['page', 'blocks[2]', 'gallery']]);
    expect(
      (await get(viewerS, `/api/v1/media/${unused.id}/usage`)).json<{ items: unknown[] }>().items,
    ).toEqual([]);

    const remove = (id: string, query = '') =>
      t.app.inject(as(editorS, { method: 'DELETE', url: `/api/v1/media/${id}${query}` }));
    const refused = await remove(galleryImage.id);
    expect(refused.statusCode).toBe(409);
    const error = refused.json<ErrorJson>().error;
    expect(error.code).toBe('media.in_use');
    expect(error.details).toEqual([
      { field: `page:${page.id}`, code: 'in_use', message: 'page "About us" (draft): blocks[2] (gallery)' },
    ]);
    expect((await remove(galleryImage.id, '?confirm=true')).statusCode).toBe(204);
    expect((await remove(unused.id, '?version=1')).statusCode).toBe(204);
    expect((await remove(unused.id)).statusCode).toBe(404);

    // Soft: the row stays (in the trash list), the file stays on disk, but it is no longer served.
    expect((await get(undefined, galleryImage.url)).statusCode).toBe(404);
    expect(existsSync(path.join(mediaRoot, galleryImage.file_hash.slice(0, 2)))).toBe(true);
    const live = (await get(viewerS, '/api/v1/media?per_page=100')).json<Page<Item>>().items.map((i) => i.id);
    expect(live).not.toContain(galleryImage.id);
    const trash = (await get(viewerS, '/api/v1/media?deleted=only'))
      .json<Page<Item>>()
      .items.map((i) => i.id);
    expect(trash).toEqual(expect.arrayContaining([galleryImage.id, unused.id]));
    // A page that is itself deleted uses nothing.
    await t.database.db
      .updateTable('pages')
      .set({ deleted_at: new Date() })
      .where('id', '=', page.id)
      .execute();
    expect((await remove(hero.id)).statusCode).toBe(204);
  });

  it('restores a deleted item: served again, in the list again; not a live one, nor one whose file came back', async () => {
    const bytes = await png(31, 29);
    const item = await uploaded([{ name: 'file', filename: 'back.png', data: bytes }]);
    const call = (session: Session | undefined, method: 'POST' | 'DELETE', url: string) =>
      t.app.inject(session ? as(session, { method, url }) : { method, url });
    const restore = (id: string, session: Session | undefined = editorS) =>
      call(session, 'POST', `/api/v1/media/${id}/restore`);

    const live = await restore(item.id);
    expect([live.statusCode, live.json<ErrorJson>().error.code]).toEqual([409, 'media.not_deleted']);
    expect((await call(editorS, 'DELETE', `/api/v1/media/${item.id}`)).statusCode).toBe(204);
    expect((await get(undefined, item.url)).statusCode).toBe(404);

    expect((await restore(item.id, viewerS)).statusCode).toBe(403);
    expect((await call(undefined, 'POST', `/api/v1/media/${item.id}/restore`)).statusCode).toBe(401);
    const unknown = await restore(randomUUID());
    expect([unknown.statusCode, unknown.json<ErrorJson>().error.code]).toEqual([404, 'media.not_found']);
    expect((await restore('not-a-uuid')).statusCode).toBe(400);

    const back = await restore(item.id);
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json<Item>()).toMatchObject({ id: item.id, deleted_at: null });
    expect((await get(undefined, item.url)).statusCode).toBe(200);
    const listed = (await get(viewerS, '/api/v1/media?per_page=100'))
      .json<Page<Item>>()
      .items.map((i) => i.id);
    expect(listed).toContain(item.id);

    // Deleted again, then the same file uploaded anew: one live item per file, so the old one stays deleted.
    expect((await call(editorS, 'DELETE', `/api/v1/media/${item.id}`)).statusCode).toBe(204);
    const again = await uploaded([{ name: 'file', filename: 'again.png', data: bytes }]);
    expect(again.id).not.toBe(item.id);
    const twin = await restore(item.id);
    expect([twin.statusCode, twin.json<ErrorJson>().error.code]).toEqual([409, 'media.duplicate_live']);
    expect(twin.json<ErrorJson>().error.message).toContain('again.png');
  });

  it('counts a consultant’s photo in where-used; deleting it needs confirm=true, which clears the photo', async () => {
    const photo = await uploaded([{ name: 'file', filename: 'portrait.png', data: await png(30, 30) }]);
    const factories = t.factories;
    const photoUrl = `/api/v1/media/${photo.id}/file`;
    const grace = await factories.consultant(editorId, { photo_url: photoUrl });
    const trashed = await factories.consultant(editorId, {
      first_name: 'Alan',
      last_name: 'Turing',
      // The id compares case-insensitively, as a UUID does.
      photo_url: `/api/v1/media/${photo.id.toUpperCase()}/file`,
      deleted_at: new Date(),
    });
    const page = await factories.page(editorId, {
      slug: factories.unique('team'),
      blocks: JSON.stringify([{ type: 'image', media_id: photo.id }]),
    });

    const uses = (await get(viewerS, `/api/v1/media/${photo.id}/usage`)).json<{ items: Usage[] }>().items;
    expect(uses).toEqual(
      expect.arrayContaining([
        {
          kind: 'page',
          id: page.id,
          label: 'About us',
          status: 'draft',
          where: 'blocks[0]',
          detail: 'image',
        },
        {
          kind: 'consultant',
          id: grace.id,
          label: 'Grace Hopper',
          status: 'live',
          where: 'photo_url',
          detail: null,
        },
        {
          kind: 'consultant',
          id: trashed.id,
          label: 'Alan Turing',
          status: 'deleted',
          where: 'photo_url',
          detail: null,
        },
      ]),
    );
    expect(uses).toHaveLength(3);
    expect((await get(viewerS, `/api/v1/media/${photo.id}`)).json<Item>().used_in).toEqual(uses);

    const remove = (query = '') =>
      t.app.inject(as(editorS, { method: 'DELETE', url: `/api/v1/media/${photo.id}${query}` }));
    const refused = await remove();
    expect(refused.statusCode).toBe(409);
    const error = refused.json<ErrorJson>().error;
    expect(error.code).toBe('media.in_use');
    expect(error.details.map((d) => d.field)).toEqual(
      expect.arrayContaining([`page:${page.id}`, `consultant:${grace.id}`, `consultant:${trashed.id}`]),
    );
    expect(error.details.find((d) => d.field === `consultant:${grace.id}`)?.message).toBe(
      'consultant "Grace Hopper" (live): photo_url',
    );
    // Refused: nothing changed.
    expect((await get(undefined, photo.url)).statusCode).toBe(200);
    const photoOf = (id: string) =>
      t.database.db
        .selectFrom('consultants')
        .select(['photo_url', 'version', 'updated_by'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    expect(await photoOf(grace.id)).toMatchObject({ photo_url: photoUrl, version: grace.version });

    expect((await remove('?confirm=true')).statusCode).toBe(204);
    expect((await get(undefined, photo.url)).statusCode).toBe(404);
    // The consultants let go of the photo (a new version, by the editor who deleted it, in the audit trail) ...
    for (const c of [grace, trashed]) {
      expect(await photoOf(c.id)).toEqual({ photo_url: null, version: c.version + 1, updated_by: editorId });
    }
    const audit = await t.database.db
      .selectFrom('audit_logs')
      .select(['user_id', 'changed_fields'])
      .where('table_name', '=', 'consultants')
      .where('record_id', '=', grace.id)
      .where('event_type', '=', 'UPDATE')
      .execute();
    expect(audit).toEqual([
      { user_id: editorId, changed_fields: expect.arrayContaining(['photo_url']) as unknown },
    ]);
    // ... the page keeps its block (a block needs its media_id), so the deleted item still names it.
    const after = (await get(viewerS, `/api/v1/media/${photo.id}`)).json<Item>();
    expect(after.deleted_at).not.toBeNull();
    expect(after.used_in?.map((u) => [u.kind, u.id])).toEqual([['page', page.id]]);
  });
});
