import { defineModule } from '../../platform/module.ts';
import { outboxRoutes } from './routes.ts';
import { OutboxService } from './service.ts';

export type { MailEntry } from './schemas.ts';

/** The mail the product has sent or kept. */
export const outboxModule = defineModule('outbox', { dependencies: ['identity'] }, (app) => {
  outboxRoutes(app, new OutboxService(app.database.db));
});
