import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/fixture.ts';
import { testEngine } from '../../test/helpers/db.ts';
import { checkHtml } from '../../test/helpers/vnu.ts';
import { SiteAssets } from './assets.ts';
import { htmlAnswer } from './html.ts';
import { previewToken } from './preview.tsx';
import { Site } from './site.tsx';
import { ErrorPage } from './views/pages.tsx';

const t = useTestApp();
let authorId: string;
const json = (value: unknown) => JSON.stringify(value);
const text = (en: string, de?: string) => (de === undefined ? { en } : { en, de });

function published(overrides: Parameters<typeof t.factories.publishedPage>[1] = {}) {
  return t.factories.publishedPage(authorId, overrides);
}

async function html(url: string): Promise<string> {
  const response = await t.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
  return response.body;
}

beforeAll(async () => {
  authorId = (await t.factories.admin()).id;
});

/** Every block type with every field it has, so each component's markup is checked. */
async function everyBlock(): Promise<unknown[]> {
  const media = await t.database.db
    .insertInto('media_files')
    .values({
      filename: `${randomUUID()}.png`,
      original_filename: 'team.png',
      file_path: `media/${randomUUID()}.png`,
      file_size: 100,
      mime_type: 'image/png',
      width: 1200,
      height: 800,
      alt_text: json(text('A team at work', 'Ein Team bei der Arbeit')),
      variants: json([{ width: 320, height: 213, size: 10, path: 'v/320.webp' }]),
      uploaded_by: authorId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const consultant = await t.factories.consultant(authorId);
  const link = { label: text('Contact us', 'Kontakt'), href: '/contact' };
  const items = [{ title: text('Fast', 'Schnell'), text: text('**Very** fast'), media_id: media.id }];
  return [
    { type: 'hero', heading: text('Hello', 'Hallo'), subheading: text('Sub'), media_id: media.id, cta: link },
    // Right after the hero (the page's h1): the items of a block without a heading are h2, not h3.
    { type: 'features', items },
    {
      type: 'rich_text',
      heading: text('Rich'),
      body: text('# Title\n\nSome *text* and a [link](https://example.com).\n\n- one\n- two'),
    },
    { type: 'text', body: text('Plain text') },
    { type: 'image', media_id: media.id, alt: text('Alt'), caption: text('Caption') },
    { type: 'gallery', items: [{ media_id: media.id, caption: text('One') }, { media_id: media.id }] },
    { type: 'call_to_action', heading: text('Act now'), text: text('Why'), button: link },
    { type: 'faq', heading: text('FAQ'), items: [{ question: text('Why?'), answer: text('Because.') }] },
    { type: 'quote', text: text('Great work'), author: text('Ada'), role: text('CTO'), media_id: media.id },
    {
      type: 'columns',
      heading: text('Columns'),
      columns: [{ heading: text('Left'), body: text('L'), media_id: media.id }, { body: text('R') }],
    },
    {
      type: 'consultant_list',
      heading: text('Our people'),
      consultant_ids: [consultant.id],
      show_booking_button: true,
    },
    { type: 'webinar_list', heading: text('Webinars') },
    { type: 'whitepaper_list', heading: text('Whitepapers') },
    { type: 'features', heading: text('Features'), items },
    { type: 'service_list', heading: text('Services'), items },
    { type: 'values', heading: text('Values'), items: [text('Trust'), text('Care')] },
    { type: 'contact_form', heading: text('Write to us') },
    { type: 'booking_widget', heading: text('Book'), consultant_id: consultant.id, duration: 30 },
  ];
}

describe(`the website's HTML on ${testEngine()}`, () => {
  it('passes the W3C Nu Html Checker on every kind of page, in both languages', async () => {
    await published({ slug: 'home', title: json(text('Welcome', 'Willkommen')) });
    const parent = await published({ slug: 'services', title: json(text('Services', 'Leistungen')) });
    await published({
      slug: 'everything',
      parent_id: parent.id,
      title: json(text('Every block', 'Jeder Block')),
      excerpt: json(text('All of them')),
      content: json(text('Intro with **bold**.', 'Einleitung mit **fett**.')),
      blocks: json(await everyBlock()),
    });
    const draft = await t.factories.page(authorId, {
      status: 'draft',
      title: json(text('Draft', 'Entwurf')),
    });
    const site = new Site({
      database: t.database,
      pages: t.app.publishedPages,
      previews: t.app.pagePreviews,
      media: t.app.media,
      consultants: t.app.consultants,
      settings: t.app.settings,
      assets: new SiteAssets(),
      origin: 'http://127.0.0.1:3000',
    });
    const documents: Record<string, string> = {};
    for (const lang of ['en', 'de'] as const) {
      documents[`home ${lang}`] = await html(`/${lang}/`);
      documents[`section ${lang}`] = await html(`/${lang}/services`);
      documents[`every block ${lang}`] = await html(`/${lang}/services/everything`);
      documents[`404 ${lang}`] = await html(`/${lang}/no-such-page`);
      documents[`sitemap-less address ${lang}`] = await html('/wp-login.php');
      // A preview (draft) and an expired preview link.
      const token = previewToken(t.app.config.appSecret ?? '', draft.id, new Date(Date.now() + 60_000));
      documents[`preview ${lang}`] = await html(`/preview/${token}?lang=${lang}`);
      const old = previewToken(t.app.config.appSecret ?? '', draft.id, new Date(Date.now() - 60_000));
      documents[`expired preview ${lang}`] = await html(`/preview/${old}?lang=${lang}`);
      // The error page, as a failed render answers it.
      documents[`error ${lang}`] = htmlAnswer(
        ErrorPage({ ctx: await site.context(lang) }),
        500,
      ).body.toString('utf8');
    }
    const errors = await checkHtml(documents);
    expect(errors).toEqual([]);
    // Headings never skip a level (screen reader users navigate by them): one h1, then each at most one deeper.
    for (const [name, source] of Object.entries(documents)) {
      const levels = [...source.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
      expect(
        levels.filter((l) => l === 1),
        name,
      ).toHaveLength(1);
      levels.reduce((previous, level) => {
        expect(level, `${name}: h${String(level)} after h${String(previous)}`).toBeLessThanOrEqual(
          previous + 1,
        );
        return level;
      }, 1);
    }
  }, 120_000);
});
