import Type, { type Static } from 'typebox';
import { pageQuery } from '../../platform/http/pagination.ts';
import { NullableString, NullableTimestamp, Timestamp, Uuid } from '../../platform/http/schemas.ts';

const Counts = Type.Object({
  created: Type.Integer(),
  retry: Type.Integer(),
  active: Type.Integer(),
  completed: Type.Integer(),
  cancelled: Type.Integer(),
  failed: Type.Integer(),
});

export const QueueView = Type.Object({
  name: Type.String(),
  retry_limit: Type.Integer(),
  retry_delay: Type.Integer({ description: 'Seconds before the first retry; doubled for each further one' }),
  counts: Counts,
});
export type QueueView = Static<typeof QueueView>;

export const QueueList = Type.Object({ items: Type.Array(QueueView) });

export const FailedJob = Type.Object({
  id: Uuid,
  queue: Type.String(),
  data: Type.Unknown(),
  error: NullableString,
  retry_count: Type.Integer(),
  created_on: Timestamp,
  completed_on: NullableTimestamp,
});
export type FailedJob = Static<typeof FailedJob>;

export const FailedQuery = Type.Object({
  queue: Type.Optional(Type.String({ maxLength: 100 })),
  ...pageQuery({ default: 25, max: 100 }),
});
export type FailedQuery = Static<typeof FailedQuery>;

export const JobParams = Type.Object({ queue: Type.String({ maxLength: 100 }), id: Uuid });

export const Requeued = Type.Object({ status: Type.Literal('queued') });
