import { markdownHtml } from '../markdown.ts';

/** Markdown of a page or block as HTML (markdown-it, raw HTML off: the source cannot add markup of its own). */
export function Markdown({ source, class: className = 'prose' }: { source: string; class?: string }) {
  return <div class={className} dangerouslySetInnerHTML={{ __html: markdownHtml(source) }} />;
}
