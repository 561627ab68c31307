import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { pageError, PreviewChanges } from '../modules/pages/index.ts';
import { errorResponses, IdParams } from '../platform/http/schemas.ts';
import { isLocale, type Locale } from '../platform/i18n/index.ts';
import { safeEqual, sign } from '../platform/security/tokens.ts';
import { htmlAnswer, sendHtml } from './html.ts';
import { localPath } from './context.ts';
import { Document } from './layout.tsx';
import type { Site } from './site.tsx';

/** How long a preview link works unless asked otherwise, and at most (a week, to send to a reviewer). */
const DEFAULT_MINUTES = 60;
const MAX_MINUTES = 7 * 24 * 60;
const PURPOSE = 'page-preview';

/** `<page id>.<expiry, epoch seconds>.<HMAC of both>`: anyone holding it sees that page until it expires. */
export function previewToken(secret: string, pageId: string, expires: Date): string {
  const body = `${pageId}.${String(Math.floor(expires.getTime() / 1000))}`;
  return `${body}.${sign(secret, `${PURPOSE}:${body}`)}`;
}

/** What a preview token says: the page it shows, and whether its time is up; undefined when it is not ours. */
export function readPreviewToken(
  secret: string,
  token: string,
  now: Date,
): { id: string; expired: boolean } | undefined {
  const [id, seconds, mac, ...rest] = token.split('.');
  if (!id || !seconds || !mac || rest.length > 0 || !/^\d{1,12}$/.test(seconds)) return undefined;
  if (!safeEqual(mac, sign(secret, `${PURPOSE}:${id}.${seconds}`))) return undefined;
  return { id, expired: Number(seconds) * 1000 <= now.getTime() };
}

const Lang = Type.Union([Type.Literal('en'), Type.Literal('de')], {
  description: 'The language to show the page in',
});

/**
 * Previews for staff: a signed, expiring link to a page as saved (draft or not), and the page rendered with the
 * editor's unsaved changes for the panel's preview pane. Both never cached and marked noindex.
 */
export function previewRoutes(app: FastifyInstance, site: Site): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const secret = app.config.appSecret ?? '';
  const read = { access: { permission: 'pages.read' as const } };

  r.post(
    '/api/v1/pages/:id/preview-link',
    {
      config: read,
      schema: {
        operationId: 'createPagePreviewLink',
        tags: ['pages'],
        summary: 'A signed link that shows the page as saved (also a draft) on the site until it expires',
        description:
          'Whoever holds the link sees the page, without signing in, until `expires_at`; the answers carry ' +
          '`noindex` and are never cached.',
        params: IdParams,
        body: Type.Object(
          {
            lang: Type.Optional(Lang),
            minutes: Type.Optional(
              Type.Integer({
                minimum: 1,
                maximum: MAX_MINUTES,
                default: DEFAULT_MINUTES,
                description: 'Lifetime',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            url: Type.String({ description: 'Absolute URL of the preview' }),
            expires_at: Type.String({ format: 'date-time' }),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!(await site.previewable(id))) throw pageError('pages.not_found', { id });
      const minutes = request.body.minutes ?? DEFAULT_MINUTES;
      const expires = new Date(app.clock().getTime() + minutes * 60_000);
      const lang = request.body.lang ?? 'en';
      const url = `${app.config.publicUrl.replace(/\/+$/, '')}/preview/${previewToken(secret, id, expires)}?lang=${lang}`;
      return reply.status(201).send({ url, expires_at: expires.toISOString() });
    },
  );

  r.post(
    '/api/v1/pages/:id/preview',
    {
      config: read,
      schema: {
        operationId: 'previewPage',
        tags: ['pages'],
        summary: 'The page as the site will render it, with unsaved changes laid over the saved page (HTML)',
        params: IdParams,
        body: Type.Object(
          { lang: Lang, changes: Type.Optional(PreviewChanges) },
          { additionalProperties: false },
        ),
        response: {
          200: { description: 'The page as HTML', content: { 'text/html': { schema: Type.String() } } },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const answer = await site.preview(request.body.lang, request.params.id, request.body.changes);
      if (!answer) throw pageError('pages.not_found', { id: request.params.id });
      void reply.header('x-robots-tag', 'noindex');
      return sendHtml(request, reply, answer, 'none');
    },
  );

  app.get<{ Params: { token: string }; Querystring: { lang?: string } }>(
    '/preview/:token',
    { config: { access: 'public' }, schema: { hide: true } },
    async (request, reply) => {
      const lang: Locale = isLocale(request.query.lang) ? request.query.lang : 'en';
      void reply.header('x-robots-tag', 'noindex');
      const token = readPreviewToken(secret, request.params.token, app.clock());
      const answer = token && !token.expired ? await site.preview(lang, token.id) : undefined;
      if (answer) return sendHtml(request, reply, answer, 'none');
      const ctx = await site.context(lang);
      const gone = htmlAnswer(
        <Document ctx={ctx} head={{ title: ctx.t.previewExpiredTitle, noindex: true }}>
          <h1>{ctx.t.previewExpiredTitle}</h1>
          <p>{ctx.t.previewExpiredText}</p>
          <p>
            <a href={localPath(lang, '/')}>{ctx.t.notFoundHome}</a>
          </p>
        </Document>,
        token?.expired ? 410 : 404,
      );
      return sendHtml(request, reply, gone, 'none');
    },
  );
}
