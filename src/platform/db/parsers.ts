/**
 * One set of value parsers for both engines, so a row reads the same from PGlite and from a PostgreSQL server.
 * - int8 (BIGINT, COUNT(*)) becomes a number: our counters and byte sizes stay far below 2^53.
 * - date stays the 'YYYY-MM-DD' string: turning it into a Date would invent a time zone.
 * - numeric stays a string so money and ratings keep their exact decimals (both engines' default).
 */
export const OID = { int8: 20, date: 1082 } as const;

export function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`BIGINT value ${value} is beyond 2^53`);
  return n;
}

export const parseDate = (value: string): string => value;

export const typeParsers: Record<number, (value: string) => unknown> = {
  [OID.int8]: parseInt8,
  [OID.date]: parseDate,
};
