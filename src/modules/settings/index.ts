import { defineModule } from '../../platform/module.ts';
import { settingsRoutes } from './routes.ts';
import { SettingsService } from './service.ts';

export { SettingsService } from './service.ts';
export type { SettingsDeps, SettingsReader } from './service.ts';
export type { SettingView } from './schemas.ts';
export { settingError } from './errors.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every setting by key, typed by the catalogue; cached per instance, dropped on every write anywhere. */
    settings: SettingsService;
  }
}

/** System settings: the typed, cached reader every module uses, and the settings API. */
export const settingsModule = defineModule('settings', {}, async (app) => {
  const settings = new SettingsService({ database: app.database, appSecret: app.config.appSecret ?? '' });
  await settings.start();
  app.addHook('onClose', () => settings.stop());
  app.decorate('settings', settings);
  settingsRoutes(app, settings);
});
