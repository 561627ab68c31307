import Type, { type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';
import type { GoogleCalendarClient } from './google-calendar.ts';
import type { CallContext, IntegrationName } from './http.ts';
import { ODOO_MODELS, type OdooClient } from './odoo.ts';
import { REDACTED } from './redact.ts';

/**
 * The operations that may be run again from a failed integration_logs row, keyed by integration and the
 * operation named in the row's retry_context. Each is safe to repeat (search-before-create, the same write,
 * an insert keyed by its request id, a patch, a delete) and re-runs from the stored input alone: the clients
 * come from the current configuration, so credentials are never read from the log.
 */

export interface RetryClients {
  odoo(): Promise<OdooClient>;
  googleCalendar(): Promise<GoogleCalendarClient>;
}

interface Retryable<S extends TSchema> {
  input: S;
  run(clients: RetryClients, input: Static<S>, context: CallContext): Promise<unknown>;
}

function retryable<S extends TSchema>(definition: Retryable<S>): Retryable<TSchema> {
  return definition;
}

const Model = Type.Union(ODOO_MODELS.map((m) => Type.Literal(m)));
const Domain = Type.Array(Type.Union([Type.String(), Type.Array(Type.Unknown())]));
const Values = Type.Record(Type.String(), Type.Unknown());
const SendUpdates = Type.Optional(
  Type.Union([Type.Literal('all'), Type.Literal('externalOnly'), Type.Literal('none')]),
);

const REGISTRY: Record<string, Retryable<TSchema>> = {
  'odoo/ensure': retryable({
    input: Type.Object({
      model: Model,
      match: Domain,
      values: Values,
      update: Type.Optional(Type.Boolean()),
    }),
    run: async (clients, input, context) =>
      (await clients.odoo()).ensure(
        input.model,
        {
          match: input.match as Parameters<OdooClient['ensure']>[1]['match'],
          values: input.values,
          ...(input.update === undefined ? {} : { update: input.update }),
        },
        context,
      ),
  }),
  'odoo/write': retryable({
    input: Type.Object({ model: Model, ids: Type.Array(Type.Integer()), values: Values }),
    run: async (clients, input, context) => {
      await (await clients.odoo()).write(input.model, input.ids, input.values, context);
      return { ids: input.ids };
    },
  }),
  'google_calendar/events.insert': retryable({
    input: Type.Object({
      calendarId: Type.String(),
      event: Values,
      requestId: Type.String({ minLength: 1 }),
      conference: Type.Optional(Type.Boolean()),
      sendUpdates: SendUpdates,
    }),
    run: async (clients, input, context) =>
      (await clients.googleCalendar()).insertEvent(
        input.event,
        {
          requestId: input.requestId,
          calendarId: input.calendarId,
          ...(input.conference === undefined ? {} : { conference: input.conference }),
          ...(input.sendUpdates ? { sendUpdates: input.sendUpdates } : {}),
        },
        context,
      ),
  }),
  'google_calendar/events.patch': retryable({
    input: Type.Object({
      calendarId: Type.String(),
      eventId: Type.String({ minLength: 1 }),
      patch: Values,
      sendUpdates: SendUpdates,
    }),
    run: async (clients, input, context) =>
      (await clients.googleCalendar()).patchEvent(
        input.eventId,
        input.patch,
        { calendarId: input.calendarId, ...(input.sendUpdates ? { sendUpdates: input.sendUpdates } : {}) },
        context,
      ),
  }),
  'google_calendar/events.delete': retryable({
    input: Type.Object({
      calendarId: Type.String(),
      eventId: Type.String({ minLength: 1 }),
      sendUpdates: SendUpdates,
    }),
    run: async (clients, input, context) =>
      (await clients.googleCalendar()).deleteEvent(
        input.eventId,
        { calendarId: input.calendarId, ...(input.sendUpdates ? { sendUpdates: input.sendUpdates } : {}) },
        context,
      ),
  }),
};

export interface PreparedRetry {
  run(clients: RetryClients, context: CallContext): Promise<unknown>;
}

/** The re-run of a stored retry context, or null when it names no known operation or its input is off. */
export function prepareRetry(integration: string, retryContext: unknown): PreparedRetry | null {
  if (!retryContext || typeof retryContext !== 'object') return null;
  const { operation, input } = retryContext as { operation?: unknown; input?: unknown };
  if (typeof operation !== 'string') return null;
  const entry = REGISTRY[`${integration}/${operation}`];
  if (!entry || !Value.Check(entry.input, input)) return null;
  // A value the log had to redact cannot be sent again: it would write the placeholder.
  if (JSON.stringify(input).includes(REDACTED)) return null;
  return { run: (clients, context) => entry.run(clients, input, context) };
}

export function retryableOperations(): { integration: IntegrationName; operation: string }[] {
  return Object.keys(REGISTRY).map((key) => {
    const [integration, operation] = key.split('/') as [IntegrationName, string];
    return { integration, operation };
  });
}
