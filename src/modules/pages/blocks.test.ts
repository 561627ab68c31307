import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/http/errors.ts';
import { BLOCK_TYPES, checkBlockShapes, mediaReferences } from './blocks.ts';

const MEDIA = '0b8f5c2e-7a4d-4c1e-9f6a-3d2b1c0e9a87';
const t = (en: string, de?: string) => (de === undefined ? { en } : { en, de });

/** One valid example of every block type. */
const EXAMPLES: Record<string, object> = {
  hero: {
    type: 'hero',
    heading: t('AI that works', 'KI, die funktioniert'),
    subheading: t('From idea to system'),
    media_id: MEDIA,
    cta: { label: t('Book', 'Buchen'), href: '/contact' },
  },
  rich_text: { type: 'rich_text', body: t('# Hello\n\nMarkdown', '# Hallo') },
  text: { type: 'text', heading: t('Rights', 'Rechte'), body: t('You may…') },
  image: { type: 'image', media_id: MEDIA, alt: t('A team', 'Ein Team'), caption: t('Us') },
  gallery: { type: 'gallery', items: [{ media_id: MEDIA, caption: t('One', 'Eins') }, { media_id: MEDIA }] },
  call_to_action: {
    type: 'call_to_action',
    heading: t('Talk to us', 'Sprechen Sie mit uns'),
    text: t('Free first call'),
    button: { label: t('Book now', 'Jetzt buchen'), href: 'https://example.com/book' },
  },
  faq: { type: 'faq', items: [{ question: t('Why?', 'Warum?'), answer: t('Because.', 'Darum.') }] },
  quote: { type: 'quote', text: t('Great work', 'Großartig'), author: t('Grace'), media_id: MEDIA },
  columns: { type: 'columns', columns: [{ heading: t('Left'), body: t('L') }, { body: t('R', 'R') }] },
  consultant_list: { type: 'consultant_list', show_booking_button: true, limit: 3 },
  webinar_list: { type: 'webinar_list', heading: t('Webinars'), show_past: false },
  whitepaper_list: { type: 'whitepaper_list', limit: 5 },
  features: { type: 'features', items: [{ title: t('Strategy', 'Strategie'), text: t('Use cases') }] },
  service_list: { type: 'service_list', items: [{ title: t('Audit') }] },
  values: { type: 'values', items: [t('Your data stays yours.', 'Ihre Daten bleiben Ihre.')] },
  contact_form: { type: 'contact_form', recipient: 'hello@example.com' },
  booking_widget: { type: 'booking_widget', duration: 30 },
};

function refusal(blocks: unknown[]): AppError {
  try {
    checkBlockShapes(blocks);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the blocks to be refused');
}

describe('page blocks', () => {
  it('has a valid example of every type, and the issue’s types are all there', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual([...BLOCK_TYPES].sort());
    for (const type of [
      'hero',
      'rich_text',
      'image',
      'gallery',
      'call_to_action',
      'faq',
      'quote',
      'columns',
      'consultant_list',
      'webinar_list',
      'whitepaper_list',
    ]) {
      expect(BLOCK_TYPES).toContain(type);
    }
    for (const [type, block] of Object.entries(EXAMPLES)) {
      expect(() => {
        checkBlockShapes([block]);
      }, type).not.toThrow();
    }
    expect(() => {
      checkBlockShapes(Object.values(EXAMPLES));
    }).not.toThrow();
  });

  it('refuses an unknown type naming the block’s index', () => {
    const error = refusal([EXAMPLES['hero'], EXAMPLES['faq'], { type: 'marquee', text: t('x') }]);
    expect(error.code).toBe('pages.invalid_block');
    expect(error.status).toBe(400);
    expect(error.params['index']).toBe(2);
    expect(error.details[0]?.field).toBe('blocks.2.type');
    expect(error.message).toMatch(/Block 2/);
    expect(refusal(['text']).details[0]?.field).toBe('blocks.0.type');
    expect(refusal([{ heading: t('no type') }]).details[0]?.field).toBe('blocks.0.type');
  });

  it('refuses a bad field naming the block and the field', () => {
    const fields = (blocks: unknown[]) => refusal(blocks).details.map((d) => d.field);
    // a text that is not bilingual-shaped
    expect(fields([EXAMPLES['hero'], { type: 'rich_text', body: 'plain' }])).toEqual(['blocks.1.body']);
    // English is required, German optional
    expect(fields([{ type: 'rich_text', body: { de: 'nur Deutsch' } }])).toEqual(['blocks.0.body.en']);
    // a field the type does not have
    expect(fields([{ ...EXAMPLES['quote'], colour: 'red' }])).toEqual(['blocks.0.colour']);
    // a media id that is no uuid, deep in a gallery
    expect(
      fields([EXAMPLES['image'], { type: 'gallery', items: [{ media_id: MEDIA }, { media_id: 'x' }] }]),
    ).toEqual(['blocks.1.items.1.media_id']);
    // a missing required field
    expect(fields([{ type: 'image' }])).toEqual(['blocks.0.media_id']);
    // a language besides en and de
    expect(fields([{ type: 'rich_text', body: { en: 'a', fr: 'b' } }])).toEqual(['blocks.0.body.fr']);
    expect(
      fields([{ type: 'call_to_action', heading: t('x'), button: { label: t('y'), href: 'javascript:x' } }]),
    ).toEqual(['blocks.0.button.href']);
    expect(refusal([EXAMPLES['faq'], { type: 'faq', items: [] }]).params['index']).toBe(1);
  });

  it('finds every media reference with its path', () => {
    expect(mediaReferences([EXAMPLES['rich_text'], EXAMPLES['hero'], EXAMPLES['gallery']])).toEqual([
      { id: MEDIA, field: 'blocks.1.media_id', index: 1 },
      { id: MEDIA, field: 'blocks.2.items.0.media_id', index: 2 },
      { id: MEDIA, field: 'blocks.2.items.1.media_id', index: 2 },
    ]);
  });
});
