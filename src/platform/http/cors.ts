import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CSRF_HEADER } from '../security/tokens.ts';
import { addVary } from './headers.ts';

/**
 * Cross-origin calls from a browser: only from the origins in the setting `security.cors_origins` (none by
 * default), with credentials, so a front end on another site can use a cookie session (writes still need the
 * CSRF header, which only that front end can read from the session answer). Other origins get no CORS headers,
 * and their preflights a 404; the setting is read per request (it is cached), so a change applies at once.
 */
export async function registerCors(app: FastifyInstance): Promise<void> {
  // Answers differ by Origin (allowed or not), so a shared cache must keep them apart, refusals included.
  app.addHook('onRequest', async (_request, reply) => {
    addVary(reply, 'Origin');
  });
  await app.register(cors, {
    delegator: async (request: FastifyRequest): Promise<FastifyCorsOptions> => {
      const origin = request.headers.origin;
      const allowed = origin ? (await app.settings.get('security.cors_origins')).map(originOf) : [];
      if (!origin || !allowed.includes(originOf(origin))) return { origin: false };
      return {
        origin,
        credentials: true,
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
        allowedHeaders: ['authorization', 'content-type', 'accept-language', 'x-request-id', CSRF_HEADER],
        exposedHeaders: ['x-request-id', 'content-disposition', 'retry-after'],
        maxAge: 600,
      };
    },
  });
}

/** An origin as browsers send it: lower-case scheme and host, no default port ("https://A.com:443" → "https://a.com"). */
function originOf(text: string): string {
  try {
    return new URL(text).origin;
  } catch {
    return text;
  }
}
