import type { FastifyInstance } from 'fastify';
import { DomUtils, parseDocument } from 'htmlparser2';

type Element = ReturnType<typeof DomUtils.findAll>[number];

/** A parsed page of the website, read the way tests need: elements by tag and attributes, their text. */
export class Html {
  readonly document: ReturnType<typeof parseDocument>;

  constructor(
    readonly source: string,
    xml = false,
  ) {
    this.document = parseDocument(source, { xmlMode: xml, decodeEntities: true });
  }

  /** Every element named `tag` whose attributes include `attrs` (a value of true: present with any value). */
  all(tag: string, attrs: Record<string, string | true> = {}): Element[] {
    return DomUtils.findAll(
      (el) =>
        el.name === tag &&
        Object.entries(attrs).every(([name, value]) =>
          value === true ? el.attribs[name] !== undefined : el.attribs[name] === value,
        ),
      this.document.children,
    );
  }

  one(tag: string, attrs: Record<string, string | true> = {}): Element {
    const found = this.all(tag, attrs);
    if (found.length !== 1) {
      throw new Error(`expected one <${tag}> with ${JSON.stringify(attrs)}, found ${String(found.length)}`);
    }
    return found[0] as Element;
  }

  /** The text of the elements (whitespace collapsed). */
  text(tag: string, attrs: Record<string, string | true> = {}): string[] {
    return this.all(tag, attrs).map((el) => DomUtils.textContent(el).replace(/\s+/g, ' ').trim());
  }

  /** The form fields (any element) of this `name`, in document order. */
  named(name: string): Element[] {
    return DomUtils.findAll((el) => el.attribs['name'] === name, this.document.children);
  }

  attr(tag: string, attrs: Record<string, string | true>, name: string): string | undefined {
    return this.one(tag, attrs).attribs[name];
  }
}

/** The elements named `tag` inside `el`. */
export function inside(el: Element, tag: string): Element[] {
  return DomUtils.findAll((child) => child.name === tag, el.children);
}

export function textOf(el: Element): string {
  return DomUtils.textContent(el).replace(/\s+/g, ' ').trim();
}

/** A GET of a website page through the app: status, headers, the bytes as sent, and the page parsed. */
export async function getPage(app: FastifyInstance, url: string, headers: Record<string, string> = {}) {
  const response = await app.inject({ method: 'GET', url, headers });
  return {
    status: response.statusCode,
    body: response.body,
    raw: response.rawPayload,
    headers: response.headers,
    html: new Html(response.body),
  };
}
