import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Mailer } from '../../platform/mail/mailer.ts';
import type { SettingsReader } from '../settings/index.ts';

/** What the identity services are made from (index.ts builds them from the app). */
export interface IdentityDeps {
  db: Kysely<DB>;
  clock: Clock;
  mailer: Mailer;
  /** The security.* settings (lockout, two-factor duty). */
  settings: Pick<SettingsReader, 'get'>;
  appSecret: string;
  publicUrl: string;
  accessTokenMinutes: number;
  sessionDays: number;
}
