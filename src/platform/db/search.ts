/**
 * What a visitor typed, made safe for PostgreSQL's `websearch_to_tsquery`. In its syntax "-" negates the next
 * term, and a run of them ("----", "- - -") nests one negation per dash until the parser's stack overflows
 * (`tsquery stack too small`, a 500 for anyone). A run of dashes means one negation; a lone one, nothing.
 */
export function websearchText(q: string): string {
  return q.replace(/-(?:[\s-]*-)+/g, '-').replace(/-(?=\s|$)/g, ' ');
}
