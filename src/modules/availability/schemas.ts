import Type, { type Static } from 'typebox';
import { IdParams, Timestamp } from '../../platform/http/schemas.ts';

export const DURATIONS = [30, 60, 90, 120] as const;

const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A local date, YYYY-MM-DD' });

export const SlotsParamsSchema = IdParams;

export const SlotsQuerySchema = Type.Object({
  from: LocalDate,
  to: LocalDate,
  duration: Type.Union([Type.Literal(30), Type.Literal(60), Type.Literal(90), Type.Literal(120)], {
    description: 'Minutes',
  }),
  tz: Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone, e.g. Europe/Berlin' }),
});
export type SlotsQuery = Static<typeof SlotsQuerySchema>;

export const SlotSchema = Type.Object({
  date: Type.String({ description: 'The local date of the start in `tz`' }),
  start_utc: Timestamp,
  end_utc: Timestamp,
  start_local: Type.String({
    description: 'ISO 8601 in `tz` with its offset, e.g. 2026-12-01T09:00:00+01:00',
  }),
  end_local: Type.String(),
});
export type SlotView = Static<typeof SlotSchema>;

export const SlotsAnswerSchema = Type.Object({
  consultant_id: Type.String({ format: 'uuid' }),
  consultant_timezone: Type.String(),
  timezone: Type.String(),
  from: Type.String(),
  to: Type.String(),
  duration: Type.Integer(),
  calendar_checked: Type.Boolean({ description: "Whether the consultant's Google Calendar was read" }),
  slots: Type.Array(SlotSchema),
});
export type SlotsAnswer = Static<typeof SlotsAnswerSchema>;
