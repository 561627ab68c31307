import type { Insertable } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/fixture.ts';
import { testEngine } from '../../test/helpers/db.ts';
import type { Pages } from '../platform/db/schema.ts';

const t = useTestApp();
let authorId: string;
const PAST = new Date(Date.now() - 86_400_000);
const json = (value: unknown) => JSON.stringify(value);

function published(overrides: Partial<Insertable<Pages>> = {}) {
  return t.factories.page(authorId, { status: 'published', published_at: PAST, ...overrides });
}

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await t.app.inject({ method: 'GET', url, headers });
  return { status: response.statusCode, body: response.body, headers: response.headers };
}

beforeAll(async () => {
  authorId = (await t.factories.admin()).id;
});

describe(`the website on ${testEngine()}`, () => {
  it('renders a published page in German with English fallbacks marked lang="en"', async () => {
    const parent = await published({ slug: 'services', title: json({ en: 'Services', de: 'Leistungen' }) });
    await published({
      slug: 'ai-audit',
      parent_id: parent.id,
      title: json({ en: 'AI audit', de: 'KI-Audit' }),
      content: json({
        en: 'We audit **AI** systems.',
        de: 'Wir prüfen **KI**-Systeme. <script>alert(1)</script>',
      }),
      blocks: json([
        { type: 'hero', heading: { en: 'Hello', de: 'Hallo' } },
        { type: 'faq', items: [{ question: { en: 'Why?' }, answer: { en: 'Because.' } }] },
      ]),
    });
    const page = await get('/de/services/ai-audit');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<html lang="de">');
    expect(page.body).toContain('<h1>KI-Audit</h1>');
    expect(page.body).toContain('&lt;script&gt;');
  });
});
