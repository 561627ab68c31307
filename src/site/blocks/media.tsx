import { Picture } from '../image.tsx';
import { list, text, type BlockProps } from './types.ts';

export function Image({ block, ctx, media, first }: BlockProps) {
  const id = text(block['media_id']);
  const item = id ? media.get(id) : undefined;
  if (!item) return null;
  const caption = text(block['caption']) ?? item.caption?.[ctx.lang];
  return (
    <figure>
      <Picture media={item} lang={ctx.lang} alt={text(block['alt'])} eager={first} />
      {caption && <figcaption>{caption}</figcaption>}
    </figure>
  );
}

export function Gallery({ block, ctx, media }: BlockProps) {
  const heading = text(block['heading']);
  const items = list(block['items']).filter((item) => media.has(text(item['media_id']) ?? ''));
  return (
    <div class="gallery">
      {heading && <h2>{heading}</h2>}
      <ul aria-label={heading ? undefined : ctx.t.gallery}>
        {items.map((item, index) => {
          const caption = text(item['caption']);
          return (
            <li key={index}>
              <figure>
                <Picture
                  media={media.get(text(item['media_id']) ?? '')}
                  lang={ctx.lang}
                  sizes="(min-width: 40rem) 22rem, 100vw"
                />
                {caption && <figcaption>{caption}</figcaption>}
              </figure>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
