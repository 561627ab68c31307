import { bookingSettings } from './modules/bookings/settings.ts';
import { securitySettings } from './modules/identity/settings.ts';
import { mediaSettings } from './modules/media/settings.ts';
import { siteSettings } from './modules/settings/settings.ts';
import { httpSettings } from './platform/http/settings.ts';
import { integrationSettings } from './platform/integrations/settings.ts';
import { mailSettings } from './platform/mail/settings.ts';
import { catalogueOf } from './platform/settings.ts';
import { websiteSettings } from './site/settings.ts';

/**
 * Every setting the product knows, from each owner's `settings.ts`: what the seed writes and the settings API
 * describes. A new owner adds one line here.
 */
export const SETTINGS_CATALOGUE = catalogueOf(
  siteSettings,
  securitySettings,
  bookingSettings,
  mailSettings,
  integrationSettings,
  mediaSettings,
  httpSettings,
  websiteSettings,
);
