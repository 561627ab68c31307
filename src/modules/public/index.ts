import { defineModule } from '../../platform/module.ts';
import { PublicCache } from './cache.ts';
import { PublicPages } from './pages.ts';
import { publicRoutes } from './routes.ts';
import { PageSearch } from './search.ts';

// What the website (src/site) uses: the cache that drops its copy when the tables it is made of change.
export { PAGES_CHANNEL, PublicCache, type Cacheable } from './cache.ts';
export { MAX_QUERY_LENGTH } from './schemas.ts';

/** The public site's read API: pages by slug, navigation, search; cached per instance. */
export const publicModule = defineModule('public', { dependencies: ['identity', 'pages'] }, async (app) => {
  const cache = new PublicCache(app.database);
  await cache.start();
  app.addHook('onClose', () => cache.stop());
  publicRoutes(app, new PublicPages(app.publishedPages, cache), new PageSearch(app.publishedPages));
});
