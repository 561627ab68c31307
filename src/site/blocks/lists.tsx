import { localPath } from '../context.ts';
import { Picture } from '../image.tsx';
import { Markdown } from './Markdown.tsx';
import { itemHeading, list, text, type BlockProps } from './types.ts';

/** Cards with a title, a text and an image each (features, services). */
export function Cards({ block, ctx, media }: BlockProps) {
  const heading = text(block['heading']);
  const Item = itemHeading(heading);
  return (
    <>
      {heading && <h2>{heading}</h2>}
      <ul class="cards">
        {list(block['items']).map((item, index) => {
          const image = text(item['media_id']);
          return (
            <li class="card" key={index}>
              {image && (
                <Picture
                  media={media.get(image)}
                  lang={ctx.lang}
                  alt=""
                  sizes="(min-width: 40rem) 22rem, 100vw"
                />
              )}
              <Item>{text(item['title'])}</Item>
              {text(item['text']) && <Markdown source={text(item['text']) ?? ''} />}
            </li>
          );
        })}
      </ul>
    </>
  );
}

export function ConsultantList({ block, ctx, consultants }: BlockProps) {
  const heading = text(block['heading']);
  const Item = itemHeading(heading);
  const ids = Array.isArray(block['consultant_ids'])
    ? block['consultant_ids'].filter((id) => typeof id === 'string')
    : undefined;
  const shown = (ids ? ids.map((id) => consultants.get(id)) : [...consultants.values()])
    .filter((c) => c !== undefined)
    .slice(0, typeof block['limit'] === 'number' ? block['limit'] : 50);
  const booking = block['show_booking_button'] !== false;
  return (
    <>
      {heading && <h2>{heading}</h2>}
      {shown.length === 0 ? (
        <p>{ctx.t.noConsultants}</p>
      ) : (
        <ul class="cards">
          {shown.map((c) => (
            <li class="card person" key={c.id}>
              {c.photo_url && <img src={c.photo_url} alt="" width={96} height={96} loading="lazy" />}
              <Item>
                <a href={localPath(ctx.lang, `/consultants/${c.id}`)}>
                  {c.first_name} {c.last_name}
                </a>
              </Item>
              {c.title && <p>{c.title}</p>}
              {booking && c.is_accepting_bookings && (
                <a class="button secondary" href={localPath(ctx.lang, `/consultants/${c.id}/book`)}>
                  {ctx.t.bookConsultation}
                  <span class="visually-hidden">
                    {' '}
                    – {c.first_name} {c.last_name}
                  </span>
                </a>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** Webinars and whitepapers come with their own modules (issues to come); until then the block says so. */
export function Upcoming({ block, ctx }: BlockProps) {
  const heading = text(block['heading']);
  return (
    <>
      {heading && <h2>{heading}</h2>}
      <p>{block.type === 'webinar_list' ? ctx.t.webinarsSoon : ctx.t.whitepapersSoon}</p>
    </>
  );
}

/** The contact form needs the leads module (to come): until then the block offers the contact address. */
export function ContactForm({ block, ctx }: BlockProps) {
  const heading = text(block['heading']);
  const email = text(block['recipient']) ?? ctx.contactEmail;
  return (
    <>
      {heading && <h2>{heading}</h2>}
      <p>
        {ctx.t.contactFormSoon}
        <a href={`mailto:${email}`}>{email}</a>
      </p>
    </>
  );
}

export function BookingWidget({ block, ctx, consultants }: BlockProps) {
  const heading = text(block['heading']) ?? ctx.t.bookConsultation;
  const id = text(block['consultant_id']);
  const consultant = id ? consultants.get(id) : undefined;
  const duration = typeof block['duration'] === 'number' ? `?duration=${String(block['duration'])}` : '';
  const href = consultant ? `/consultants/${consultant.id}/book${duration}` : '/consultants';
  return (
    <div class="cta">
      <h2>{heading}</h2>
      {consultant && (
        <p>
          {consultant.first_name} {consultant.last_name}
          {consultant.title && `, ${consultant.title}`}
        </p>
      )}
      <a class="button" href={localPath(ctx.lang, href)}>
        {ctx.t.bookConsultation}
      </a>
    </div>
  );
}
