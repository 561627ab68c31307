/** The SQLSTATE and constraint of a database error (both engines report them the same way). */
export function pgError(error: unknown): { code?: string; constraint?: string } {
  const { code, constraint } = (error ?? {}) as { code?: string; constraint?: string };
  return { code, constraint };
}

/** A unique violation, of `constraint` when named (some drivers leave the name out: then any counts). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = pgError(error);
  return (
    e.code === '23505' &&
    (constraint === undefined || e.constraint === undefined || e.constraint === constraint)
  );
}

/** `%text%` for ILIKE, with the pattern characters in `text` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
