import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendError } from './error-handler.ts';
import { platformError } from './errors.ts';

/** Where `npm run build` puts the panel: dist/admin under the repository (from src/ and from dist/ alike). */
export const ADMIN_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/admin');

/** Vite names every asset by its content hash: a given URL never changes, so browsers keep it for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The entry names the current hashes: always asked again (cheaply, by ETag). */
const REVALIDATE = 'no-cache';

/**
 * Serves the admin panel at /admin: hashed assets as immutable (pre-compressed .br/.gz where the build made
 * them), index.html never cached, and every other path under /admin answered with the app, whose router knows
 * it. A missing asset is a 404: a stale tab asking for an old chunk must fail loudly, not get HTML.
 */
export async function registerAdminPanel(app: FastifyInstance, root = ADMIN_DIR): Promise<void> {
  await app.register(
    async (scope) => {
      const built = existsSync(path.join(root, 'index.html'));
      const sendApp = (reply: FastifyReply) => {
        if (!built) {
          return reply
            .code(503)
            .header('cache-control', 'no-store')
            .type('text/plain; charset=utf-8')
            .send(
              'The admin panel is not built: run `npm run build` (npm start builds it when it is missing).\n',
            );
        }
        return reply.header('cache-control', REVALIDATE).sendFile('index.html', { cacheControl: false });
      };

      if (built) {
        await scope.register(fastifyStatic, {
          root,
          prefix: '/',
          index: false,
          preCompressed: true,
          cacheControl: false,
          setHeaders: (res, file) => {
            res.setHeader(
              'cache-control',
              file.includes(`${path.sep}assets${path.sep}`) ? IMMUTABLE : REVALIDATE,
            );
          },
        });
      } else {
        scope.get('/*', { schema: { hide: true } }, (_request, reply) => sendApp(reply));
      }
      // /admin and /admin/ (the prefix answers both).
      scope.get('/', { schema: { hide: true } }, (_request, reply) => sendApp(reply));

      scope.setNotFoundHandler((request, reply) => {
        const url = request.url.split('?')[0] ?? '';
        const asset = url.startsWith('/admin/assets/') || path.extname(url) !== '';
        if ((request.method === 'GET' || request.method === 'HEAD') && url.startsWith('/admin/') && !asset) {
          return sendApp(reply);
        }
        return sendError(request, reply, platformError('not_found'));
      });
    },
    { prefix: '/admin' },
  );
}
