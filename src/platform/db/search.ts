/**
 * What a visitor typed, made safe for PostgreSQL's `websearch_to_tsquery`. In its syntax "-" negates the next
 * term, and a run of them nests one negation per dash until the parser's stack overflows (`tsquery stack too
 * small`, a 500 for anyone). The parser skips tsquery's operator characters (! & | ( ) < > : * \) while it waits
 * for a term, so "-!-!-!" is such a run too: they become spaces first (websearch syntax has no use for them).
 * Then a run of dashes means one negation, and a lone one nothing.
 */
export function websearchText(q: string): string {
  return q
    .replace(/[!&|()<>:*\\]/g, ' ')
    .replace(/-(?:[\s-]*-)+/g, '-')
    .replace(/-(?=\s|$)/g, ' ');
}
