import { IntegrationHttp } from '../../platform/integrations/http.ts';
import { OdooClient, type OdooValues } from '../../platform/integrations/odoo.ts';
import type { BookingsContext } from './context.ts';
import type { BookingEffects } from './effects.ts';
import { findBooking, setOdooPartner } from './repository/index.ts';

/**
 * The client of a new booking as an Odoo contact (res.partner): found by e-mail, else created, and its id
 * stored on the booking. A job does it after the booking commits, so Odoo being down or slow never touches a
 * booking; the job retries with backoff (four to eight hours in all) and then shows among the failed jobs.
 */

export const ODOO_PARTNER_QUEUE = 'bookings.odoo_partner';

export interface OdooPartnerJob {
  booking_id: string;
}

/** Odoo's =ilike is a LIKE pattern: an e-mail's "_" (common) and "%" must match only themselves. */
export function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Finds or creates the booking's client in Odoo and stores the partner id; throws (for a retry) on failure. */
export async function syncOdooPartner(deps: BookingsContext, bookingId: string): Promise<void> {
  const b = await findBooking(deps.db, bookingId);
  if (!b || b.client_odoo_partner_id !== null) return;
  if (!(await deps.settings.get('odoo.enabled'))) return;
  const config = await deps.configs.odoo();
  if (!config) throw new Error('Odoo is enabled but not configured (URL, database, credentials)');
  const odoo = new OdooClient(
    config,
    new IntegrationHttp({
      db: deps.db,
      integration: 'odoo',
      ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
      ...(deps.retryPolicy ? { retry: deps.retryPolicy } : {}),
    }),
  );
  const email = b.client_email.trim();
  const values: OdooValues = {
    name: `${b.client_first_name} ${b.client_last_name}`,
    email,
    ...(b.client_phone ? { phone: b.client_phone } : {}),
    // A person's employer as text: Odoo offers it to create the company contact from.
    ...(b.client_company ? { company_name: b.client_company } : {}),
  };
  const { id } = await odoo.ensure(
    'res.partner',
    { match: [['email', '=ilike', likeLiteral(email)]], values },
    { related: { table: 'bookings', id: b.id } },
  );
  await setOdooPartner(deps.db, b.id, id);
}

/** The partner queue, and the effect that enqueues it for a new booking while Odoo is on. */
export function registerOdooSync(effects: BookingEffects, deps: BookingsContext): void {
  // Eight retries from a minute, doubling (with pg-boss's jitter): four to eight hours in all.
  const partners = deps.jobs.defineQueue<OdooPartnerJob>(
    { name: ODOO_PARTNER_QUEUE, retryLimit: 8, retryDelay: 60, expireInSeconds: 300 },
    (data) => syncOdooPartner(deps, data.booking_id),
  );
  effects.add(async ({ change, booking, trx, settings }) => {
    if (change !== 'created') return;
    if (!(await settings.get('odoo.enabled'))) return;
    await partners.send({ booking_id: booking.id }, { executor: trx });
  });
}
