import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { negotiateLocale } from '../i18n/index.ts';
import { AppError, type ErrorBody, type ErrorDetail } from './errors.ts';
import { platformError } from './errors.ts';

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
    return platformError('validation.failed', { summary }, details);
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return platformError('request.too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return platformError('request.unsupported_media_type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return platformError('request.malformed', { summary: e.message });
    case '23505':
    case '23P01':
      return platformError('conflict.duplicate');
    default:
      break;
  }
  if (e.code && DATABASE_DOWN.has(e.code)) return platformError('database.unavailable');
  if (e.statusCode === 400 && e.code.startsWith('FST_')) {
    return platformError('request.malformed', { summary: e.message });
  }
  if (e.statusCode === 429) return platformError('rate.limited');
  if (e.statusCode === 503) return platformError('server.unavailable');
  return platformError('internal', { requestId });
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
      platformError('not_found', { method: request.method, url: request.url.split('?')[0] }),
    ),
  );
}
