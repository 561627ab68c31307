import { describe, expect, it } from 'vitest';
import { headline, HIT_START, HIT_STOP, MAX_WORDS } from './headline.ts';

/**
 * Tokens as migration 0025 stores them, for a test: each word stands for itself in lower case (its lexeme),
 * words of STOP are stop words (no lexeme), everything else is a separator.
 */
const STOP = new Set(['the', 'and', 'of', 'a']);
function tokens(text: string): string {
  return (text.match(/[\p{L}\p{N}]+|[^\p{L}\p{N}]+/gu) ?? [])
    .map((token) => {
      if (!/[\p{L}\p{N}]/u.test(token)) return token;
      const lexeme = token.toLowerCase();
      return STOP.has(lexeme) ? `${token}\u001e` : `${token}\u001e${lexeme}`;
    })
    .join('\u001f');
}

const shown = (text: string) => text.replaceAll(HIT_START, '[').replaceAll(HIT_STOP, ']');
const words = (text: string) => text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
const filler = (from: number, count: number) =>
  Array.from({ length: count }, (_, index) => `w${String(from + index)}`).join(' ');

describe('a search snippet from stored tokens', () => {
  it('shows a short text whole, with the hits marked and its punctuation', () => {
    expect(shown(headline(tokens('# Our offer\n\nThe **boats** of the lake.'), ['boats', 'lake']))).toBe(
      'Our offer\n\nThe **[boats]** of the [lake].',
    );
    // A stop word is a word but never a hit; a word with several lexemes is a hit by any of them.
    expect(shown(headline(tokens('the and'), ['the']))).toBe('the and');
    expect(shown(headline('Data-driven\u001ehyphenated\u001edata\u001f.', ['data']))).toBe('[Data-driven].');
  });

  it('is empty for a text without words', () => {
    expect(headline('', ['x'])).toBe('');
    expect(headline('# \u001f**', ['x'])).toBe('');
  });

  it('cuts a long text to the passage around the hits, from the start of its sentence, with "…" where it goes on', () => {
    const text = `${filler(0, 60)}. Sailing on the lake is fun ${filler(100, 60)}.`;
    const snippet = shown(headline(tokens(text), ['lake']));
    expect(snippet.startsWith('… Sailing on the [lake] is fun w100')).toBe(true);
    expect(snippet.endsWith(' …')).toBe(true);
    expect(words(snippet)).toBe(MAX_WORDS);
  });

  it('ends a passage at a line break after its last hit rather than begin the next paragraph', () => {
    const text = `${filler(0, 60)}. Sailing on the lake is fun ${filler(100, 12)}.\n\n## Next part\n\n${filler(200, 60)}`;
    const snippet = shown(headline(tokens(text), ['lake']));
    expect(snippet).toBe(`… Sailing on the [lake] is fun ${filler(100, 12)}. …`);
  });

  it('shows the beginning of a text without a hit (a match in the title)', () => {
    const snippet = headline(tokens(filler(0, 80)), ['nothing']);
    expect(snippet).toBe(`${filler(0, MAX_WORDS)} …`);
  });

  it('prefers the passage with the most different words of the query, then the most hits', () => {
    const text = `${filler(0, 40)} boat ${filler(50, 40)} boat lake boat ${filler(100, 40)}`;
    const snippet = shown(headline(tokens(text), ['boat', 'lake']));
    expect(snippet).toContain('[boat] [lake] [boat]');
    expect(snippet.match(/\[/g)).toHaveLength(3);
  });

  it('shows two passages joined by "…" when one cannot hold every word of the query the text has', () => {
    const text = `${filler(0, 30)} boat ${filler(50, 80)} lake ${filler(200, 30)}`;
    const snippet = shown(headline(tokens(text), ['boat', 'lake']));
    const [first, second] = snippet.split(' … ').filter((part) => part !== '…');
    expect(snippet.startsWith('… ')).toBe(true);
    expect(first).toContain('[boat]');
    expect(second).toContain('[lake]');
    expect(words(snippet)).toBeLessThanOrEqual(MAX_WORDS);
  });

  it('reads a text with a hit in every word without trouble', () => {
    const text = Array.from({ length: 5000 }, () => 'boat').join(' ');
    const snippet = shown(headline(tokens(text), ['boat']));
    expect(words(snippet)).toBe(MAX_WORDS);
    expect(snippet.startsWith('[boat] [boat]')).toBe(true);
  });
});
