import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { consultantRoutes } from './modules/consultants/routes.ts';
import { availabilityRoutes } from './modules/availability/routes.ts';
import { bookingRoutes } from './modules/bookings/routes.ts';
import { healthRoutes } from './modules/health/routes.ts';
import { registerGuard } from './modules/identity/guard.ts';
import { authRoutes } from './modules/identity/routes.ts';
import { registerRouteRateLimits } from './platform/http/rate-limit.ts';
import { IdentityService } from './modules/identity/service.ts';
import { UserSchema } from './modules/identity/user-view.ts';
import { integrationRoutes } from './modules/integrations/routes.ts';
import { integrationConfigs } from './platform/integrations/config.ts';
import { jobRoutes } from './modules/jobs/routes.ts';
import { mediaRoutes } from './modules/media/routes.ts';
import { outboxRoutes } from './modules/outbox/routes.ts';
import { pageRoutes } from './modules/pages/routes.ts';
import { publicRoutes } from './modules/public/routes.ts';
import { settingsRoutes } from './modules/settings/routes.ts';
import { SettingsService } from './modules/settings/service.ts';
import { userRoutes } from './modules/users/routes.ts';
import type { AuditActor } from './platform/audit/context.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import type { Database } from './platform/db/connection.ts';
import { registerErrorHandling } from './platform/http/error-handler.ts';
import { registerOpenApi } from './platform/http/openapi.ts';
import { ErrorResponseSchema } from './platform/http/schemas.ts';
import { compilersFactory } from './platform/http/validation.ts';
import { Jobs, type JobsOptions } from './platform/jobs/index.ts';
import { createMediaStorage } from './platform/storage/index.ts';
import { defineMaintenance } from './platform/jobs/maintenance.ts';
import { createMailer, type Mailer } from './platform/mail/mailer.ts';
import { VERSION } from './version.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The background queues: modules define theirs before the app is ready, and send jobs. */
    jobs: Jobs;
  }
  interface FastifyRequest {
    /** The actor the audit trail records for writes made on behalf of this request. */
    actor: AuditActor;
  }
}

export interface AppDeps {
  config: Config;
  database: Database;
  /** Tests pass their own logger settings (or false). */
  logger?: FastifyServerOptions['logger'];
  /** Tests inject a clock they can move. */
  clock?: Clock;
  /** Defaults to SMTP_URL, or the outbox without it. */
  mailer?: Mailer;
  /** Tests poll and retry faster. */
  jobs?: JobsOptions;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECLARED_ACCESS = /^\/(api\/v1|health)(\/|$)/;

export async function buildApp({
  config,
  database,
  logger,
  clock = systemClock,
  mailer,
  jobs: jobsOptions = {},
}: AppDeps): Promise<FastifyInstance> {
  if (!config.appSecret)
    throw new Error('APP_SECRET is not resolved (resolveAppSecret runs before buildApp)');
  const app = Fastify({
    logger: logger ?? {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      serializers: {
        // A token in a query string (a reset or manage link) never reaches the logs.
        req: (req: { method: string; url: string; hostname?: string; ip?: string }) => ({
          method: req.method,
          url: req.url.replace(/([?&](?:token|access_token|refresh_token)=)[^&]*/gi, '$1[redacted]'),
          hostname: req.hostname,
          remoteAddress: req.ip,
        }),
      },
    },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    // A caller's own request id (a UUID) is kept so one id follows a request across services.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && UUID.test(given) ? given.toLowerCase() : randomUUID();
    },
    return503OnClosing: true,
    // Our validators (no coercion of bodies) for every plugin context, whatever shared schemas it adds.
    schemaController: { compilersFactory },
  });

  app.addSchema(ErrorResponseSchema);
  app.addSchema(UserSchema);
  registerErrorHandling(app);

  app.addHook('onRoute', (route) => {
    if (DECLARED_ACCESS.test(route.url) && !route.config?.access) {
      throw new Error(
        `route ${route.method.toString()} ${route.url} declares no access rule (config.access)`,
      );
    }
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
  await registerOpenApi(app, VERSION);
  await app.register(cookie);

  // Settings: a cached copy per instance, dropped on every write anywhere (LISTEN/NOTIFY).
  const settings = new SettingsService({ database, appSecret: config.appSecret });
  await settings.start();
  app.addHook('onClose', () => settings.stop());
  const jobs = Jobs.create(database, {
    ...jobsOptions,
    onError: (err) => {
      app.log.error({ err }, 'background jobs');
    },
  });
  const mail =
    mailer ??
    createMailer({
      db: database.db,
      jobs,
      smtpUrl: config.smtpUrl,
      from: async () =>
        config.mailFrom ?? `${await settings.get('mail.from_name')} <${await settings.get('mail.from')}>`,
      clock,
    });
  defineMaintenance(jobs, database.db, clock);
  app.decorate('jobs', jobs);
  // Workers start once the app is ready (after the migrations, in main.ts) and finish their job on close.
  app.addHook('onReady', () => jobs.start());
  app.addHook('onClose', async () => {
    await jobs.stop();
    mail.close();
  });
  const identity = new IdentityService({
    db: database.db,
    clock,
    mailer: mail,
    appSecret: config.appSecret,
    publicUrl: config.publicUrl,
    accessTokenMinutes: config.accessTokenMinutes,
    sessionDays: config.sessionDays,
  });
  registerGuard(app, identity);

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, () => app.swagger());
  healthRoutes(app, database);
  await app.register(authRoutes, { identity, rateLimit: config.authRateLimit, secureCookies: https });
  userRoutes(app, { db: database.db, identity, clock });
  auditRoutes(app, database.db);
  outboxRoutes(app, database.db);
  settingsRoutes(app, settings);
  // Odoo and Google Calendar read their connection (secrets decrypted) from the settings at each call.
  integrationRoutes(app, {
    db: database.db,
    configs: integrationConfigs((key: string) => settings.get(key)),
  });
  jobRoutes(app, database.db, jobs);
  pageRoutes(app, { db: database.db, jobs, clock });
  await mediaRoutes(app, {
    db: database.db,
    storage: createMediaStorage(config),
    jobs,
    clock,
    maxUploadMb: () => settings.get('media.max_upload_mb'),
  });
  await registerRouteRateLimits(app);
  // The public site's pages, navigation and search; pages cached per instance, dropped on NOTIFY.
  await publicRoutes(app, { database });
  consultantRoutes(app, { db: database.db, clock });
  availabilityRoutes(app, {
    db: database.db,
    settings,
    configs: integrationConfigs((key: string) => settings.get(key)),
    clock,
    rateLimit: config.slotsRateLimit,
  });
  bookingRoutes(app, {
    db: database.db,
    settings,
    configs: integrationConfigs((key: string) => settings.get(key)),
    clock,
    appSecret: config.appSecret,
    publicUrl: config.publicUrl,
    jobs,
    mailer: mail,
    rateLimit: config.bookingRateLimit,
  });

  return app;
}
