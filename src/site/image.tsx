import type { MediaView } from '../modules/media/index.ts';
import type { Locale } from '../platform/i18n/index.ts';

/** The media a page shows, by id (live items only: a deleted one is simply not shown). */
export type MediaMap = ReadonlyMap<string, MediaView>;

interface PictureProps {
  media: MediaView | undefined;
  lang: Locale;
  /** The text for people who cannot see the image; the library's alt text in `lang` when not given. */
  alt?: string | undefined;
  /** How wide the image is shown (the `sizes` attribute). */
  sizes?: string;
  /** Above the fold: loaded at once and first. */
  eager?: boolean;
}

/**
 * An image from the media library: the original's width and height (no layout shift), its WebP variants as a
 * `srcset` so a phone loads 320 or 768 pixels, not the original; lazy below the fold. Nothing for a missing or
 * non-image item.
 */
export function Picture({
  media,
  lang,
  alt,
  sizes = '(min-width: 72rem) 72rem, 100vw',
  eager,
}: PictureProps) {
  if (!media?.mime_type.startsWith('image/')) return null;
  const text = alt ?? media.alt_text?.[lang] ?? media.alt_text?.en ?? '';
  const srcset = media.variants.map((v) => `${v.url} ${String(v.width)}w`);
  const widest = media.variants.at(-1);
  // The original is offered too when it is wider than the widest variant (variants are never wider).
  if (media.width && (!widest || media.width > widest.width))
    srcset.push(`${media.url} ${String(media.width)}w`);
  return (
    <img
      src={widest?.url ?? media.url}
      srcset={srcset.length > 1 ? srcset.join(', ') : undefined}
      sizes={srcset.length > 1 ? sizes : undefined}
      width={media.width ?? undefined}
      height={media.height ?? undefined}
      alt={text}
      loading={eager ? undefined : 'lazy'}
      decoding={eager ? undefined : 'async'}
      fetchpriority={eager ? 'high' : undefined}
    />
  );
}
