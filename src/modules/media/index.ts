import { defineModule } from '../../platform/module.ts';
import { createMediaStorage } from '../../platform/storage/index.ts';
import { mediaRoutes } from './routes.ts';

/** The media library: uploads, variants, where-used, files served publicly. */
export const mediaModule = defineModule('media', { dependencies: ['settings', 'identity'] }, async (app) => {
  await mediaRoutes(app, {
    db: app.database.db,
    storage: createMediaStorage(app.config),
    jobs: app.jobs,
    clock: app.clock,
    maxUploadMb: () => app.settings.get('media.max_upload_mb'),
  });
});
