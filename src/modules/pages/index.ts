import { defineModule } from '../../platform/module.ts';
import { pageRoutes } from './routes.ts';

/** The website's pages: tree, blocks, workflow, history. */
export const pagesModule = defineModule('pages', { dependencies: ['identity'] }, (app) => {
  pageRoutes(app, { db: app.database.db, jobs: app.jobs, clock: app.clock });
});
