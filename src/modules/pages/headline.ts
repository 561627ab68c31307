/**
 * A search hit's snippet, cut from the tokens the database keeps of each page (page_search_tokens, migration
 * 0025): the text around the hits, at most MAX_WORDS words, in one passage, or in two shorter ones joined by
 * " … " where one passage cannot show every word of the query that the text holds; "…" where the text goes on
 * before or after. The words whose lexemes are among the query's stand between HIT_START and HIT_STOP, as
 * ts_headline marked them before (the rest of the pipeline, snippetHtml, is the same).
 *
 * It runs for every hit shown (ten a search), so it reads the tokens in one pass without splitting them into
 * strings: a word's lexemes are compared where they stand, and only the passages shown are copied out.
 */

/** Hit markers; the stored tokens never contain them. */
export const HIT_START = '\u0001';
export const HIT_STOP = '\u0002';

/** Between two tokens (migration 0025). */
const TOKEN = '\u001f';
/** After a word's text, before each of its lexemes. */
const LEXEME = '\u001e';

/** The most words a snippet shows (its passages together). */
export const MAX_WORDS = 35;
/** The share of a passage's words shown before its first hit, so that it does not start with it. */
const LEAD = 0.25;
/** Hits looked at as the start of a passage: enough for any snippet, bounded for a word a page repeats often. */
const MAX_ANCHORS = 200;
const ELLIPSIS = '…';

/** The words of a text: where each one's text starts and ends and its token ends, and the query term it is. */
interface Words {
  tokens: string;
  start: number[];
  end: number[];
  next: number[];
  /** Index into the query's lexemes, -1 for a word that is not a hit. */
  term: number[];
  /** Indexes of the words that are hits, in order. */
  hits: number[];
}

interface Passage {
  /** First word and the word after the last. */
  from: number;
  to: number;
  /** Distinct query lexemes in it (that the other passage lacks, for the second one), then hits in it. */
  terms: number;
  hits: number;
}

/**
 * The snippet of a text given as tokens (format in migration 0025), for a query of these lexemes: the page's
 * Markdown with its symbols still in (snippetHtml takes them out) and the hits marked.
 */
export function headline(tokens: string, lexemes: readonly string[]): string {
  const words = read(tokens, [...new Set(lexemes)]);
  const count = words.start.length;
  if (count === 0) return '';
  const passages = choose(words);
  const last = passages[passages.length - 1];
  const before = (passages[0]?.from ?? 0) > 0 ? `${ELLIPSIS} ` : '';
  const after = last && last.to < count ? ` ${ELLIPSIS}` : '';
  return before + passages.map((passage) => render(words, passage)).join(` ${ELLIPSIS} `) + after;
}

function read(tokens: string, lexemes: readonly string[]): Words {
  const words: Words = { tokens, start: [], end: [], next: [], term: [], hits: [] };
  const length = tokens.length;
  let at = 0;
  let lexeme = tokens.indexOf(LEXEME);
  while (at < length) {
    let next = tokens.indexOf(TOKEN, at);
    if (next < 0) next = length;
    if (lexeme >= 0 && lexeme < at) lexeme = tokens.indexOf(LEXEME, at);
    if (lexeme >= 0 && lexeme < next) {
      const term = find(tokens, lexeme, next, lexemes);
      if (term >= 0) words.hits.push(words.start.length);
      words.start.push(at);
      words.end.push(lexeme);
      words.next.push(next);
      words.term.push(term);
    }
    at = next + 1;
  }
  return words;
}

/** Which of `lexemes` the word's lexemes (after the LEXEME at `from`, up to `to`) hold, -1 for none. */
function find(tokens: string, from: number, to: number, lexemes: readonly string[]): number {
  let at = from + 1;
  while (at <= to) {
    let end = tokens.indexOf(LEXEME, at);
    if (end < 0 || end > to) end = to;
    for (let k = 0; k < lexemes.length; k++) {
      const wanted = lexemes[k] ?? '';
      if (wanted.length === end - at && tokens.startsWith(wanted, at)) return k;
    }
    at = end + 1;
  }
  return -1;
}

/** The passages to show, in the text's order. */
function choose(words: Words): Passage[] {
  const count = words.start.length;
  const all = { from: 0, to: count, terms: 0, hits: 0 };
  if (count <= MAX_WORDS) return [all];
  if (words.hits.length === 0) return [{ ...all, to: MAX_WORDS }];
  const one = best(words, MAX_WORDS, new Set(), []);
  if (one.terms === termsIn(words, all).size) return [align(words, one, count)];
  const half = Math.floor(MAX_WORDS / 2);
  const first = best(words, half, new Set(), []);
  const second = best(words, MAX_WORDS - half, termsIn(words, first), [first]);
  if (second.terms === 0) return [align(words, one, count)];
  const [early, late] = first.from < second.from ? [first, second] : [second, first];
  // Passages that meet are one.
  if (early.to === late.from) return [align(words, { ...early, to: late.to }, count)];
  return [align(words, early, late.from), align(words, late, count)];
}

/**
 * The passage moved to start where the sentence or line of its first hit starts, when that is among the words
 * shown before the hit (as long as it was, up to `limit`); and ended at the first line break after its last hit
 * in its second half (the next paragraph, heading or block text would only be begun).
 */
function align(words: Words, passage: Passage, limit: number): Passage {
  const { hits } = words;
  const inside = hits.filter((h) => h >= passage.from && h < passage.to);
  const first = inside[0] ?? passage.from;
  let { from, to } = passage;
  for (let w = first; w > from; w--) {
    const gap = gapBefore(words, w);
    if (gap.includes('\n') || /[.!?:]["')\]]*\s/.test(gap)) {
      to = Math.min(limit, to + (w - from));
      from = w;
      break;
    }
  }
  const keep = Math.max(from + Math.ceil((to - from) / 2), (inside.at(-1) ?? first) + 1);
  for (let w = keep; w < to; w++) {
    if (gapBefore(words, w).includes('\n')) {
      to = w;
      break;
    }
  }
  return { ...passage, from, to };
}

/** The text between word `w` and the one before it. */
function gapBefore(words: Words, w: number): string {
  return between(words.tokens, words.next[w - 1] ?? 0, words.start[w] ?? 0);
}

/**
 * The passage of `size` words with the most distinct query lexemes not in `seen`, then the most hits, then the
 * earliest; one starts a little before each hit (at most MAX_ANCHORS of them) and does not overlap `taken`.
 */
function best(words: Words, size: number, seen: ReadonlySet<number>, taken: readonly Passage[]): Passage {
  const { hits, term } = words;
  const count = words.start.length;
  const lead = Math.floor(size * LEAD);
  let found: Passage = { from: 0, to: Math.min(size, count), terms: 0, hits: 0 };
  let first = 0;
  for (const anchor of hits.slice(0, MAX_ANCHORS)) {
    const from = Math.max(0, Math.min(anchor - lead, count - size));
    const to = from + size;
    while ((hits[first] ?? Infinity) < from) first++;
    if (taken.some((other) => from < other.to && other.from < to)) continue;
    const terms = new Set<number>();
    let inside = 0;
    for (let h = first; h < hits.length && (hits[h] ?? Infinity) < to; h++) {
      const t = term[hits[h] ?? 0] ?? -1;
      inside++;
      if (!seen.has(t)) terms.add(t);
    }
    if (terms.size > found.terms || (terms.size === found.terms && inside > found.hits)) {
      found = { from, to, terms: terms.size, hits: inside };
    }
  }
  return found;
}

function termsIn(words: Words, passage: Passage): Set<number> {
  const terms = new Set<number>();
  for (const h of words.hits) if (h >= passage.from && h < passage.to) terms.add(words.term[h] ?? -1);
  return terms;
}

/** A passage's text from its first word to its last (and the punctuation right after it), hits marked. */
function render(words: Words, passage: Passage): string {
  const { tokens, start, end, next, term } = words;
  let out = '';
  for (let w = passage.from; w < passage.to; w++) {
    if (w > passage.from) out += between(tokens, next[w - 1] ?? 0, start[w] ?? 0);
    const text = tokens.slice(start[w], end[w]);
    out += (term[w] ?? -1) >= 0 ? `${HIT_START}${text}${HIT_STOP}` : text;
  }
  const last = passage.to - 1;
  const after = between(tokens, next[last] ?? tokens.length, start[passage.to] ?? tokens.length + 1);
  return out + (/^\S*/.exec(after)?.[0] ?? '');
}

/** The text of the tokens between a word's end (`from`, its TOKEN) and the next word's start. */
function between(tokens: string, from: number, to: number): string {
  if (from + 1 >= to) return '';
  const text = tokens.slice(from + 1, to - 1);
  return text.includes(TOKEN) ? text.replaceAll(TOKEN, '') : text;
}
