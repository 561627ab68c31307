import Type, { type Static } from 'typebox';
import { pageQuery } from '../../platform/http/pagination.ts';
import { NullableString, NullableTimestamp, Timestamp, Uuid } from '../../platform/http/schemas.ts';

export const MailStatus = Type.Union([
  Type.Literal('queued'),
  Type.Literal('sent'),
  Type.Literal('failed'),
  Type.Literal('outbox'),
]);

/** One mail as the outbox shows it. */
export const MailEntry = Type.Object({
  id: Uuid,
  recipient: Type.String(),
  subject: Type.String(),
  text_body: Type.String(),
  html_body: NullableString,
  language: Type.String(),
  template: NullableString,
  status: Type.String(),
  message_id: NullableString,
  error: NullableString,
  created_at: Timestamp,
  sent_at: NullableTimestamp,
});
export type MailEntry = Static<typeof MailEntry>;

export const OutboxQuery = Type.Object({
  status: Type.Optional(MailStatus),
  recipient: Type.Optional(Type.String({ maxLength: 255 })),
  ...pageQuery({ default: 25, max: 100 }),
});
export type OutboxQuery = Static<typeof OutboxQuery>;
