import { defineModule } from '../../platform/module.ts';
import { auditRoutes } from './routes.ts';
import { AuditService } from './service.ts';

// What other modules may use: the entry's schema and type, and (through app.audit) a record's history.
export { AuditEntry } from './schemas.ts';
export type { AuditService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Reads of the audit trail (a record's history, one entry of it). */
    audit: AuditService;
  }
}

/** The audit trail, read by staff. */
export const auditModule = defineModule('audit', { dependencies: ['identity'] }, (app) => {
  const audit = new AuditService(app.database.db);
  app.decorate('audit', audit);
  auditRoutes(app, audit);
});
