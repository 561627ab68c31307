import Type, { type Static } from 'typebox';

const State = Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]);

export const Health = Type.Object({
  status: State,
  checks: Type.Optional(Type.Record(Type.String(), State)),
});
export type Health = Static<typeof Health>;
