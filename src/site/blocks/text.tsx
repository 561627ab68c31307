import { localPath } from '../context.ts';
import { Picture } from '../image.tsx';
import { Markdown } from './Markdown.tsx';
import { itemHeading, link, list, text, type BlockProps } from './types.ts';

export function Hero({ block, ctx, media, first, title }: BlockProps) {
  const image = text(block['media_id']);
  const cta = link(block['cta']);
  const Heading = title ? 'h1' : 'h2';
  return (
    <div class={`hero${image ? ' with-image' : ''}`}>
      <div>
        <Heading>{text(block['heading'])}</Heading>
        {text(block['subheading']) && <p>{text(block['subheading'])}</p>}
        {cta && (
          <a class="button" href={localPath(ctx.lang, cta.href)}>
            {cta.label}
          </a>
        )}
      </div>
      {image && (
        <Picture
          media={media.get(image)}
          lang={ctx.lang}
          eager={first}
          sizes="(min-width: 40rem) 36rem, 100vw"
        />
      )}
    </div>
  );
}

export function RichText({ block }: BlockProps) {
  const heading = text(block['heading']);
  return (
    <>
      {heading && <h2>{heading}</h2>}
      <Markdown source={text(block['body']) ?? ''} />
    </>
  );
}

export function CallToAction({ block, ctx }: BlockProps) {
  const button = link(block['button']);
  return (
    <div class="cta">
      <h2>{text(block['heading'])}</h2>
      {text(block['text']) && <p>{text(block['text'])}</p>}
      {button && (
        <a class="button" href={localPath(ctx.lang, button.href)}>
          {button.label}
        </a>
      )}
    </div>
  );
}

export function Faq({ block }: BlockProps) {
  const heading = text(block['heading']);
  return (
    <div class="faq">
      {heading && <h2>{heading}</h2>}
      {list(block['items']).map((item, index) => (
        <details key={index}>
          <summary>{text(item['question'])}</summary>
          <Markdown source={text(item['answer']) ?? ''} />
        </details>
      ))}
    </div>
  );
}

export function Quote({ block, ctx, media }: BlockProps) {
  const author = text(block['author']);
  const role = text(block['role']);
  const image = text(block['media_id']);
  return (
    <figure class="person">
      <blockquote>
        <p>{text(block['text'])}</p>
      </blockquote>
      {(author || image) && (
        <figcaption>
          {image && <Picture media={media.get(image)} lang={ctx.lang} alt="" sizes="6rem" />}
          {author}
          {role && `, ${role}`}
        </figcaption>
      )}
    </figure>
  );
}

export function Columns({ block, ctx, media }: BlockProps) {
  const heading = text(block['heading']);
  const Item = itemHeading(heading);
  return (
    <>
      {heading && <h2>{heading}</h2>}
      <div class="columns">
        {list(block['columns']).map((column, index) => {
          const image = text(column['media_id']);
          return (
            <div key={index}>
              {image && (
                <Picture media={media.get(image)} lang={ctx.lang} sizes="(min-width: 40rem) 24rem, 100vw" />
              )}
              {text(column['heading']) && <Item>{text(column['heading'])}</Item>}
              <Markdown source={text(column['body']) ?? ''} />
            </div>
          );
        })}
      </div>
    </>
  );
}

export function Values({ block }: BlockProps) {
  const heading = text(block['heading']);
  const items = Array.isArray(block['items']) ? block['items'].map(text).filter(Boolean) : [];
  return (
    <div class="values">
      {heading && <h2>{heading}</h2>}
      <ul>
        {items.map((item, index) => (
          <li key={index}>{item}</li>
        ))}
      </ul>
    </div>
  );
}
