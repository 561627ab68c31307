import { defineModule } from '../../platform/module.ts';
import { publicRoutes } from './routes.ts';

/** The public site's read API: pages by slug, navigation, search; cached per instance. */
export const publicModule = defineModule('public', { dependencies: ['identity'] }, async (app) => {
  await publicRoutes(app, { database: app.database });
});
