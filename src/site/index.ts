import { defineModule } from '../platform/module.ts';
import { SiteAssets } from './assets.ts';
import { bookingSiteRoutes } from './booking/routes.tsx';
import { previewRoutes } from './preview.tsx';
import { siteRoutes } from './routes.ts';
import { searchRoutes } from './search/routes.ts';
import { Site } from './site.tsx';

/**
 * The public website, rendered on the server from TSX components (Preact's renderer) in the same process:
 * /en/… and /de/… follow the page tree; the HTML is cached per instance and dropped on any change it is made of.
 */
export const siteModule = defineModule(
  'site',
  { dependencies: ['settings', 'media', 'pages', 'public', 'consultants', 'availability', 'bookings'] },
  async (app) => {
    const assets = new SiteAssets();
    const site = new Site({
      database: app.database,
      pages: app.publishedPages,
      previews: app.pagePreviews,
      media: app.media,
      consultants: app.consultants,
      settings: app.settings,
      assets,
      origin: app.config.publicUrl.replace(/\/+$/, ''),
    });
    await site.cache.start();
    app.addHook('onClose', () => site.cache.stop());
    assets.register(app);
    await bookingSiteRoutes(app, site);
    previewRoutes(app, site);
    await searchRoutes(app, site);
    siteRoutes(app, site);
  },
);
