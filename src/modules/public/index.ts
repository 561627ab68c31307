import { defineModule } from '../../platform/module.ts';
import { PublicCache } from './cache.ts';
import { PublicPages } from './pages.ts';
import { publicRoutes } from './routes.ts';
import { PageSearch } from './search.ts';

/** The public site's read API: pages by slug, navigation, search; cached per instance. */
export const publicModule = defineModule('public', { dependencies: ['identity', 'pages'] }, async (app) => {
  const cache = new PublicCache(app.database);
  await cache.start();
  app.addHook('onClose', () => cache.stop());
  publicRoutes(app, new PublicPages(app.publishedPages, cache), new PageSearch(app.publishedPages));
});
