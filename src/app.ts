import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';
import { auditModule } from './modules/audit/index.ts';
import { availabilityModule } from './modules/availability/index.ts';
import { bookingsModule } from './modules/bookings/index.ts';
import { consultantsModule } from './modules/consultants/index.ts';
import { healthModule } from './modules/health/index.ts';
import { identityModule } from './modules/identity/index.ts';
import { integrationsModule } from './modules/integrations/index.ts';
import { jobsModule } from './modules/jobs/index.ts';
import { mediaModule } from './modules/media/index.ts';
import { outboxModule } from './modules/outbox/index.ts';
import { pagesModule } from './modules/pages/index.ts';
import { publicModule } from './modules/public/index.ts';
import { settingsModule } from './modules/settings/index.ts';
import { usersModule } from './modules/users/index.ts';
import type { Clock } from './platform/clock.ts';
import { platformPlugin } from './platform/core.ts';
import type { Database } from './platform/db/connection.ts';
import { registerAdminPanel } from './platform/http/admin-panel.ts';
import { answerError } from './platform/http/error-handler.ts';
import { RequestLog } from './platform/http/logging.ts';
import { siteModule } from './site/index.ts';
import { compilersFactory } from './platform/http/validation.ts';
import type { ResponseViolation } from './platform/http/response-check.ts';
import type { JobsOptions } from './platform/jobs/index.ts';
import type { Mailer } from './platform/mail/mailer.ts';

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
  /** Tests: check every JSON answer against its route's response schema, collecting what does not match. */
  responseViolations?: ResponseViolation[];
  /** The built admin panel served at /admin (default dist/admin). */
  adminDir?: string;
}

/** The product's modules, in the order they are registered (a module after those it depends on). */
const MODULES = [
  healthModule,
  settingsModule,
  identityModule,
  usersModule,
  auditModule,
  outboxModule,
  integrationsModule,
  jobsModule,
  mediaModule,
  pagesModule,
  publicModule,
  consultantsModule,
  availabilityModule,
  bookingsModule,
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function buildApp({
  config,
  database,
  logger,
  adminDir,
  ...platform
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
    // One line per request, at a level that follows the outcome.
    logController: new RequestLog(),
    // URLs the router cannot read (bad percent-encoding, a parameter over the length limit) answer in our shape.
    frameworkErrors: (error, request, reply) => {
      void answerError(error, request, reply);
    },
    // Our validators (no coercion of bodies) for every plugin context, whatever shared schemas it adds.
    schemaController: { compilersFactory },
  });
  await app.register(platformPlugin, { config, database, ...platform });
  for (const module of MODULES) await app.register(module);
  await app.register(siteModule);
  await registerAdminPanel(app, adminDir);
  return app;
}
