import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

/** One of the site's static files, read once at start, named by its content so browsers keep it for good. */
interface Asset {
  url: string;
  type: string;
  body: Buffer;
  br: Buffer;
  gzip: Buffer;
}

const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
};

function load(file: string): Asset {
  const body = readFileSync(new URL(`./assets/${file}`, import.meta.url));
  const [name = file, ext = ''] = file.split('.');
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 10);
  return {
    url: `/assets/${name}.${hash}.${ext}`,
    type: TYPES[ext] ?? 'application/octet-stream',
    body,
    br: brotliCompressSync(body),
    gzip: gzipSync(body, { level: 9 }),
  };
}

/** The site's stylesheet and script, and the URLs pages link them by. */
export class SiteAssets {
  readonly css = load('site.css');
  readonly js = load('site.js');
  readonly icon = load('favicon.svg');

  register(app: FastifyInstance): void {
    // Browsers ask for /favicon.ico whatever the page names: send them to the icon.
    app.get('/favicon.ico', { config: { access: 'public' }, schema: { hide: true } }, (_request, reply) =>
      reply.header('cache-control', 'public, max-age=86400').redirect(this.icon.url, 301),
    );
    for (const asset of [this.css, this.js, this.icon]) {
      app.get(asset.url, { config: { access: 'public' }, schema: { hide: true } }, (request, reply) => {
        const accepts = request.headers['accept-encoding'] ?? '';
        void reply
          .header('content-type', asset.type)
          .header('cache-control', 'public, max-age=31536000, immutable')
          .header('vary', 'Accept-Encoding');
        if (/\bbr\b/.test(accepts)) return reply.header('content-encoding', 'br').send(asset.br);
        if (/\bgzip\b/.test(accepts)) return reply.header('content-encoding', 'gzip').send(asset.gzip);
        return reply.send(asset.body);
      });
    }
  }
}
