import { defineModule } from '../../platform/module.ts';
import { createMediaStorage } from '../../platform/storage/index.ts';
import { mediaRoutes } from './routes.ts';
import { MediaService, VARIANTS_QUEUE, type VariantsJob } from './service.ts';

// What other modules may use: the where-used registry (a module whose data references media registers a
// provider through app.media.registerUsage) and the view types.
export type { MediaService, MediaUsageProvider, ProvidedUsage } from './service.ts';
export type { MediaUsage, MediaView } from './schemas.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The media library: which media exist, where an item is used (registerUsage adds a provider). */
    media: MediaService;
  }
}

/** The media library: uploads, variants, where-used, files served publicly. */
export const mediaModule = defineModule('media', { dependencies: ['settings', 'identity'] }, async (app) => {
  // A failed attempt (storage, sharp) is retried; the variants are made from the stored original.
  const variants = app.jobs.defineQueue<VariantsJob>(
    { name: VARIANTS_QUEUE, retryLimit: 5, retryDelay: 30 },
    async (data) => {
      await media.makeVariants(data.id);
    },
  );
  const media = new MediaService({
    db: app.database.db,
    storage: createMediaStorage(app.config),
    variants,
    clock: app.clock,
    maxUploadMb: () => app.settings.get('media.max_upload_mb'),
  });
  app.decorate('media', media);
  await mediaRoutes(app, media);
});
