import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { negotiateLocale } from '../i18n/index.ts';
import { AppError, type ErrorBody, type ErrorDetail } from './errors.ts';
import { platformError } from './errors.ts';
import { UNSTORABLE_TEXT, unstorableTextAt } from './validation.ts';

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/**
 * A nullable field (`anyOf: [X, null]`) that fails as X also fails "must be null" and the anyOf itself: those two
 * say nothing the errors about X do not, so they are left out when such errors exist.
 */
function withoutNullableNoise(issues: ValidationIssue[]): ValidationIssue[] {
  const within = (issue: ValidationIssue, other: ValidationIssue) =>
    other !== issue &&
    other.keyword !== 'anyOf' &&
    !(other.keyword === 'type' && other.params['type'] === 'null') &&
    (other.instancePath === issue.instancePath || other.instancePath.startsWith(`${issue.instancePath}/`));
  const noise = (issue: ValidationIssue) =>
    (issue.keyword === 'anyOf' || (issue.keyword === 'type' && issue.params['type'] === 'null')) &&
    issues.some((other) => within(issue, other));
  return issues.filter((issue) => !noise(issue));
}

function validationDetails(issues: ValidationIssue[], part: string | undefined): ErrorDetail[] {
  return withoutNullableNoise(issues).map((issue) => {
    // A missing property, or the tag of a discriminated oneOf (a block's `type`), is named as a field of its own.
    const missing =
      issue.params['missingProperty'] ??
      (issue.keyword === 'discriminator' ? issue.params['tag'] : undefined);
    const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const field = typeof missing === 'string' ? (path ? `${path}.${missing}` : missing) : path;
    return {
      field: [part, field].filter(Boolean).join('.') || (part ?? ''),
      code: issue.keyword,
      message: issue.message ?? issue.keyword,
    };
  });
}

const DATABASE_DOWN = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P03',
  '08000',
  '08003',
  '08006',
]);

/** A request that could not be read; `why` is ours (never the input, which may be huge or hostile). */
export function malformed(part: string, why: string): AppError {
  return platformError('request.malformed', {}, [{ field: part, code: 'malformed', message: why }]);
}

/** Turns anything thrown into an AppError; unknown failures become 500 and are logged in full. */
export function toAppError(error: unknown, requestId: string): AppError {
  if (error instanceof AppError) return error;
  const e = error as FastifyError & { validation?: ValidationIssue[]; validationContext?: string };
  if (Array.isArray(e.validation)) {
    const details = validationDetails(e.validation, e.validationContext);
    const summary = details.map((d) => `${d.field} ${d.message}`).join('; ');
    return platformError('validation.failed', { summary }, details);
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return platformError('request.too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return platformError('request.unsupported_media_type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return malformed('body', 'the body is empty');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return malformed('body', 'the body is not valid JSON');
    case 'FST_ERR_BAD_URL':
      return malformed('url', 'the address is not valid percent-encoded UTF-8');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return platformError('request.uri_too_long');
    case '23505':
    case '23P01':
      return platformError('conflict.duplicate');
    default:
      break;
  }
  if (e.code && DATABASE_DOWN.has(e.code)) return platformError('database.unavailable');
  // Other framework refusals: their messages quote the request, so only the code is passed on.
  if (e.statusCode === 400 && e.code.startsWith('FST_')) return malformed('request', e.code);
  if (e.statusCode === 414) return platformError('request.uri_too_long');
  if (e.statusCode === 429) return platformError('rate.limited');
  if (e.statusCode === 503) return platformError('server.unavailable');
  return platformError('internal', { requestId });
}

/** Answers with an error in the product's shape, in the caller's language. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const body: ErrorBody = {
    error: {
      code: error.code,
      message: error.messageIn(negotiateLocale(request.headers['accept-language'])),
      details: error.details,
    },
  };
  return reply.status(error.status).type('application/json; charset=utf-8').send(body);
}

/** Logs a refused or failed request (a failure in full) and answers it in our shape. */
export function answerError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appError = toAppError(error, request.id);
  if (appError.status >= 500) {
    request.log.error({ err: error }, 'request failed');
  } else {
    request.log.info({ code: appError.code, status: appError.status }, 'request refused');
  }
  return sendError(request, reply, appError);
}

/** Answers a browser's request for an address nothing serves (the website's 404 page); see registerErrorHandling. */
export type PageNotFound = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Set by the website: how a GET for a page that does not exist (outside /api, /health, /admin) is answered
     * to a browser, instead of the JSON error.
     */
    pageNotFound: PageNotFound | undefined;
  }
}

/** Paths whose unknown addresses always answer in JSON: the API and the probes. */
const JSON_ONLY = /^\/(api|health|metrics)(\/|$|\?)/;

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(answerError);
  app.decorate('pageNotFound', undefined);
  app.setNotFoundHandler((request, reply) => {
    const page = app.pageNotFound;
    const browser =
      (request.method === 'GET' || request.method === 'HEAD') &&
      !JSON_ONLY.test(request.url) &&
      (request.headers.accept ?? '').includes('text/html');
    if (page && browser) return page(request, reply);
    return sendError(request, reply, platformError('not_found'));
  });
}

const PARTS = ['params', 'querystring', 'body'] as const;

/**
 * Text the database cannot store (a NUL, half a surrogate pair) is refused before validation, for every route and
 * every part of the request, with a 400 naming the field; without it such text reached PostgreSQL and failed there.
 */
export function registerTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    for (const part of PARTS) {
      const value = part === 'querystring' ? request.query : request[part];
      const at = unstorableTextAt(value);
      if (at === undefined) continue;
      const field = at ? `${part}.${at}` : part;
      done(
        platformError('validation.failed', { summary: `${field} ${UNSTORABLE_TEXT}` }, [
          { field, code: 'text', message: UNSTORABLE_TEXT },
        ]),
      );
      return;
    }
    done();
  });
}
