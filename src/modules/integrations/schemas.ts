import Type, { type Static } from 'typebox';
import { pageQuery } from '../../platform/http/pagination.ts';
import { IdParams, NullableString, NullableTimestamp, Timestamp, Uuid } from '../../platform/http/schemas.ts';

const NullableUuid = Type.Union([Uuid, Type.Null()]);

export const LogStatus = Type.Union([
  Type.Literal('success'),
  Type.Literal('error'),
  Type.Literal('timeout'),
  Type.Literal('cancelled'),
]);

/** One attempt of a call to an outside system, as the API shows it. */
export const LogEntry = Type.Object({
  id: Uuid,
  integration_name: Type.String({ description: 'odoo, google_calendar, smtp' }),
  operation: Type.String({
    description: 'The call, e.g. crm.lead.create, authenticate, events.insert, token',
  }),
  direction: Type.String(),
  endpoint: NullableString,
  request_data: Type.Unknown({ description: 'Method, headers and body as sent, secrets redacted' }),
  response_data: Type.Unknown({ description: 'Status and body as answered, secrets redacted' }),
  status: Type.String(),
  error_message: NullableString,
  error_code: NullableString,
  started_at: Timestamp,
  completed_at: NullableTimestamp,
  duration_ms: Type.Union([Type.Integer(), Type.Null()]),
  triggered_by: NullableUuid,
  related_table: NullableString,
  related_id: NullableUuid,
  attempt: Type.Integer({ description: 'Which attempt of one call this row is (1, 2, ...)' }),
  correlation_id: NullableUuid,
  idempotency_key: NullableString,
  retry_of: Type.Union([Uuid, Type.Null()], { description: 'The failed entry an admin retried' }),
  retryable: Type.Boolean({
    description: 'Whether POST /api/v1/integration-logs/:id/retry can run it again',
  }),
});
export type IntegrationLogView = Static<typeof LogEntry>;

export const LogQuery = Type.Object({
  integration_name: Type.Optional(Type.String({ maxLength: 50 })),
  status: Type.Optional(LogStatus),
  operation: Type.Optional(Type.String({ maxLength: 50 })),
  related_table: Type.Optional(Type.String({ maxLength: 100 })),
  related_id: Type.Optional(Uuid),
  correlation_id: Type.Optional(
    Type.String({ format: 'uuid', description: 'Every call of one operation run' }),
  ),
  retry_of: Type.Optional(Type.String({ format: 'uuid', description: 'The calls of retries of one entry' })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Started at or after (inclusive)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Started before (exclusive)' })),
  ...pageQuery({ default: 50, max: 200 }),
});
export type IntegrationLogQuery = Static<typeof LogQuery>;

export const LogParams = IdParams;

export const RetryOutcome = Type.Object({
  retry_of: Uuid,
  correlation_id: Uuid,
  result: Type.Unknown({
    description: 'What the operation answered, e.g. {"id": 42, "created": false}',
  }),
  logs: Type.Array(LogEntry),
});
export type RetryOutcome = Static<typeof RetryOutcome>;
