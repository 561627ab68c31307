import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { IntegrationConfigs } from '../../platform/integrations/config.ts';
import type { RetryPolicy } from '../../platform/integrations/http.ts';
import type { Jobs } from '../../platform/jobs/index.ts';
import type { Mailer } from '../../platform/mail/mailer.ts';
import type { Availability } from '../availability/index.ts';
import type { SettingsService } from '../settings/index.ts';

/** What the parts of the bookings module are built from (index.ts fills it from the app). */
export interface BookingsContext {
  db: Kysely<DB>;
  /** Snapshots are taken before each transaction (see SettingsService.snapshot). */
  settings: Pick<SettingsService, 'get' | 'snapshot'>;
  configs: IntegrationConfigs;
  clock: Clock;
  appSecret: string;
  publicUrl: string;
  jobs: Jobs;
  mailer: Mailer;
  availability: Availability;
  /** Tests shorten the waits between attempts. */
  retryPolicy?: Partial<RetryPolicy>;
}
