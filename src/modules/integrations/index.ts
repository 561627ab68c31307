import { integrationConfigs, type IntegrationConfigs } from '../../platform/integrations/config.ts';
import { defineModule } from '../../platform/module.ts';
import { integrationRoutes } from './routes.ts';
import { IntegrationsService } from './service.ts';

export type { IntegrationLogView } from './schemas.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Odoo and Google Calendar connections, read from the settings (secrets decrypted) at each call. */
    integrations: IntegrationConfigs;
  }
}

/** The integration log and retries of failed calls; the connections other modules use. */
export const integrationsModule = defineModule(
  'integrations',
  { dependencies: ['settings', 'identity'] },
  (app) => {
    const configs = integrationConfigs((key: string) => app.settings.get(key));
    app.decorate('integrations', configs);
    integrationRoutes(app, new IntegrationsService({ db: app.database.db, configs }));
  },
);
