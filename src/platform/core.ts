import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { VERSION } from '../version.ts';
import type { AuditActor } from './audit/context.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Database } from './db/connection.ts';
import { registerErrorHandling, registerTextGuard } from './http/error-handler.ts';
import { registerCors } from './http/cors.ts';
import { registerOpenApi } from './http/openapi.ts';
import { registerRouteRateLimits } from './http/rate-limit.ts';
import { checkResponses, type ResponseViolation } from './http/response-check.ts';
import { ErrorResponseSchema } from './http/schemas.ts';
import { Jobs, type JobsOptions } from './jobs/index.ts';
import { defineMaintenance } from './jobs/maintenance.ts';
import { createMailer, type Mailer } from './mail/mailer.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The validated configuration of this process. */
    config: Config;
    /** The database (PostgreSQL server or embedded PGlite). */
    database: Database;
    /** What "now" is; tests move it. */
    clock: Clock;
    /** The background queues: modules define theirs before the app is ready, and send jobs. */
    jobs: Jobs;
    /** Mail: stored in the outbox and, with SMTP, delivered by a job. */
    mailer: Mailer;
  }
  interface FastifyRequest {
    /** The actor the audit trail records for writes made on behalf of this request. */
    actor: AuditActor;
  }
}

export interface PlatformOptions {
  config: Config;
  database: Database;
  clock?: Clock;
  /** Defaults to SMTP_URL, or the outbox without it. */
  mailer?: Mailer;
  /** Tests poll and retry faster. */
  jobs?: JobsOptions;
  /** Tests: check every JSON answer against its route's response schema, collecting what does not match. */
  responseViolations?: ResponseViolation[];
}

const DECLARED_ACCESS = /^\/(api\/v1|health)(\/|$)/;

/**
 * What every module stands on: the error shape, security headers, OpenAPI, cookies, per-route rate limits, the
 * audit actor of each request, and the shared services (config, database, clock, jobs, mailer) as decorations.
 */
const platform: FastifyPluginAsync<PlatformOptions> = async (app, options) => {
  const { config, database, clock = systemClock } = options;
  app.addSchema(ErrorResponseSchema);
  registerErrorHandling(app);
  registerTextGuard(app);
  if (options.responseViolations) checkResponses(app, options.responseViolations);

  const operationIds = new Map<string, string>();
  app.addHook('onRoute', (route) => {
    if (!DECLARED_ACCESS.test(route.url)) return;
    const name = `${route.method.toString()} ${route.url}`;
    if (!route.config?.access) throw new Error(`route ${name} declares no access rule (config.access)`);
    // Every documented operation is named once (clients generated from the document use the names).
    const schema = route.schema;
    if (schema?.hide || route.method === 'HEAD') return;
    const id = schema?.operationId;
    if (!id) throw new Error(`route ${name} declares no schema.operationId`);
    const other = operationIds.get(id);
    if (other) throw new Error(`routes ${other} and ${name} share the operationId "${id}"`);
    operationIds.set(id, name);
  });

  app.decorateRequest('actor', null as unknown as AuditActor);
  app.addHook('onRequest', async (request, reply) => {
    request.actor = {
      requestId: request.id,
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
    };
    void reply.header('x-request-id', request.id);
  });

  const https = config.publicUrl.startsWith('https:');
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        'img-src': ["'self'", 'data:'],
        'script-src': ["'self'"],
        // Served over plain http (development), upgrading would break every sub-resource.
        'upgrade-insecure-requests': https ? [] : null,
      },
    },
    strictTransportSecurity: https,
  });
  await registerOpenApi(app, { version: VERSION, publicUrl: config.publicUrl });
  await app.register(cookie);
  await registerCors(app);
  await registerRouteRateLimits(app);

  const jobs = Jobs.create(database, {
    ...options.jobs,
    onError: (err) => {
      app.log.error({ err }, 'background jobs');
    },
  });
  const mailer =
    options.mailer ??
    createMailer({
      db: database.db,
      jobs,
      smtpUrl: config.smtpUrl,
      // The sender follows the settings of the moment (the settings module is registered by then).
      from: async () =>
        config.mailFrom ??
        `${await app.settings.get('mail.from_name')} <${await app.settings.get('mail.from')}>`,
      clock,
    });
  defineMaintenance(jobs, database.db);
  app.decorate('config', config);
  app.decorate('database', database);
  app.decorate('clock', clock);
  app.decorate('jobs', jobs);
  app.decorate('mailer', mailer);
  // Workers start once the app is ready (after the migrations, in main.ts) and finish their job on close.
  app.addHook('onReady', () => jobs.start());
  app.addHook('onClose', async () => {
    await jobs.stop();
    mailer.close();
  });

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, () => app.swagger());
};

export const platformPlugin = fp(platform, { name: 'platform', fastify: '5.x' });

/** Whether the app is served over https (secure cookies, HSTS). */
export function servedOverHttps(app: FastifyInstance): boolean {
  return app.config.publicUrl.startsWith('https:');
}
