import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { negotiateLocale } from '../i18n/index.ts';
import { AppError, type ErrorBody, type ErrorDetail } from './errors.ts';

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

function validationDetails(issues: ValidationIssue[], part: string | undefined): ErrorDetail[] {
  return issues.map((issue) => {
    const missing = issue.params['missingProperty'];
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

/** Turns anything thrown into an AppError; unknown failures become 500 and are logged in full. */
export function toAppError(error: unknown, requestId: string): AppError {
  if (error instanceof AppError) return error;
  const e = error as FastifyError & { validation?: ValidationIssue[]; validationContext?: string };
  if (Array.isArray(e.validation)) {
    const details = validationDetails(e.validation, e.validationContext);
    const summary = details.map((d) => `${d.field} ${d.message}`).join('; ');
    return new AppError('validation.failed', 400, { summary }, details);
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('request.too_large', 413);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('request.unsupported_media_type', 415);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('request.malformed', 400, { summary: e.message });
    case '23505':
    case '23P01':
      return new AppError('conflict.duplicate', 409);
    default:
      break;
  }
  if (e.code && DATABASE_DOWN.has(e.code)) return new AppError('database.unavailable', 503);
  if (e.statusCode === 400 && e.code.startsWith('FST_')) {
    return new AppError('request.malformed', 400, { summary: e.message });
  }
  if (e.statusCode === 429) return new AppError('rate.limited', 429);
  if (e.statusCode === 503) return new AppError('server.unavailable', 503);
  return new AppError('internal', 500, { requestId });
}

function send(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const body: ErrorBody = {
    error: {
      code: error.code,
      message: error.messageIn(negotiateLocale(request.headers['accept-language'])),
      details: error.details,
    },
  };
  return reply.status(error.status).type('application/json; charset=utf-8').send(body);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error, request.id);
    if (appError.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    } else {
      request.log.info({ code: appError.code, status: appError.status }, 'request refused');
    }
    return send(request, reply, appError);
  });

  app.setNotFoundHandler((request, reply) =>
    send(
      request,
      reply,
      new AppError('not_found', 404, { method: request.method, url: request.url.split('?')[0] }),
    ),
  );
}
