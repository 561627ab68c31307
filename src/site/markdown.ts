import MarkdownIt from 'markdown-it';

/**
 * The Markdown of pages and blocks as HTML: raw HTML in the text stays text (html: false), links are made from
 * bare URLs, and only http(s), mailto and site-relative links survive (markdown-it's validateLink drops
 * javascript:, vbscript:, file: and data: other than images). Headings start at level 2: the page's title is
 * the one h1.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

const defaultHeading = md.renderer.rules.heading_open;
md.renderer.rules.heading_open = (tokens, index, options, env, self) => {
  const token = tokens[index];
  if (token) {
    const level = Math.min(6, Math.max(2, Number(token.tag.slice(1)) + 1));
    token.tag = `h${String(level)}`;
  }
  return defaultHeading
    ? defaultHeading(tokens, index, options, env, self)
    : self.renderToken(tokens, index, options);
};
const closeHeading = md.renderer.rules.heading_close;
md.renderer.rules.heading_close = (tokens, index, options, env, self) => {
  const token = tokens[index];
  if (token) {
    const level = Math.min(6, Math.max(2, Number(token.tag.slice(1)) + 1));
    token.tag = `h${String(level)}`;
  }
  return closeHeading
    ? closeHeading(tokens, index, options, env, self)
    : self.renderToken(tokens, index, options);
};

/** Markdown as HTML, safe to insert (nothing of the source can become markup of its own). */
export function markdownHtml(source: string): string {
  return md.render(source);
}

/** The words of a Markdown text without its symbols (`**`, `#`, links' targets): for snippets and meta texts. */
export function plainText(source: string): string {
  const tokens = md.parse(source, {});
  const words: string[] = [];
  for (const token of tokens) {
    if (token.type !== 'inline') continue;
    for (const child of token.children ?? []) {
      if (child.type === 'text' || child.type === 'code_inline') words.push(child.content);
      else if (child.type === 'softbreak' || child.type === 'hardbreak') words.push(' ');
    }
    words.push(' ');
  }
  return words.join('').replace(/\s+/g, ' ').trim();
}

/** At most `max` characters of `text`, cut at a word and marked with an ellipsis. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
