import type { PublicConsultant } from '../../modules/consultants/index.ts';
import { Markdown } from '../blocks/Markdown.tsx';
import { localPath, type SiteContext } from '../context.ts';
import { Picture, type MediaMap } from '../image.tsx';
import { Document } from '../layout.tsx';
import { plainText, shorten } from '../markdown.ts';
import { BOOKING_MESSAGES, fill } from './messages.ts';

/** A photo of the media library is stored as this URL (consultants module): its variants make a srcset. */
const MEDIA_PHOTO = /^\/api\/v1\/media\/([0-9a-f-]{36})\/file$/i;

/** The media ids of the consultants' library photos. */
export function photoIds(consultants: PublicConsultant[]): string[] {
  return consultants.flatMap((c) => {
    const id = c.photo_url ? MEDIA_PHOTO.exec(c.photo_url)?.[1] : undefined;
    return id ? [id] : [];
  });
}

export const fullName = (c: Pick<PublicConsultant, 'first_name' | 'last_name'>) =>
  `${c.first_name} ${c.last_name}`;

/** The consultant's photo: the library's variants when it is one, else the URL as it is; decorative (alt ""). */
export function Photo({
  consultant,
  media,
  ctx,
  size,
  eager,
}: {
  consultant: PublicConsultant;
  media: MediaMap;
  ctx: SiteContext;
  size: number;
  eager?: boolean;
}) {
  if (!consultant.photo_url) return null;
  const id = MEDIA_PHOTO.exec(consultant.photo_url)?.[1];
  if (id) {
    const view = media.get(id);
    if (!view) return null;
    return <Picture media={view} lang={ctx.lang} alt="" sizes={`${String(size)}px`} eager={eager ?? false} />;
  }
  return (
    <img
      src={consultant.photo_url}
      alt=""
      width={size}
      height={size}
      loading={eager ? undefined : 'lazy'}
      decoding="async"
    />
  );
}

function Languages({ ctx, consultant }: { ctx: SiteContext; consultant: PublicConsultant }) {
  const b = BOOKING_MESSAGES[ctx.lang];
  return <>{consultant.languages.map((code) => b.languageNames[code] ?? code).join(', ')}</>;
}

/** /{lang}/consultants: every consultant who is listed, with what they know and a way to book them. */
export function ConsultantsPage({
  ctx,
  consultants,
  media,
  page,
  pages,
}: {
  ctx: SiteContext;
  consultants: PublicConsultant[];
  media: MediaMap;
  page: number;
  pages: number;
}) {
  const { lang, t } = ctx;
  const b = BOOKING_MESSAGES[lang];
  const path = '/consultants';
  const here = page > 1 ? `${path}?page=${String(page)}` : path;
  return (
    <Document
      ctx={ctx}
      current={path}
      twin={here}
      head={{
        title: b.consultantsTitle,
        description: fill(b.consultantsDescription, { site: ctx.siteTitle }),
        path: here,
        jsonLd: [
          {
            '@context': 'https://schema.org',
            '@type': 'ItemList',
            itemListElement: consultants.map((c, index) => ({
              '@type': 'ListItem',
              position: (page - 1) * 24 + index + 1,
              url: `${ctx.origin}${localPath(lang, `/consultants/${c.id}`)}`,
              name: fullName(c),
            })),
          },
        ],
      }}
    >
      <h1>{b.consultantsTitle}</h1>
      <p class="lead">{b.consultantsIntro}</p>
      {consultants.length === 0 ? (
        <p>{t.noConsultants}</p>
      ) : (
        <ul class="people">
          {consultants.map((c, index) => (
            <li class="card person" key={c.id}>
              <Photo consultant={c} media={media} ctx={ctx} size={112} eager={index < 3} />
              <div>
                <h2>
                  <a href={localPath(lang, `/consultants/${c.id}`)}>{fullName(c)}</a>
                </h2>
                {c.title && <p class="role">{c.title}</p>}
                <dl class="facts">
                  {c.expertise.length > 0 && (
                    <>
                      <dt>{b.expertise}</dt>
                      <dd>{c.expertise.join(', ')}</dd>
                    </>
                  )}
                  <dt>{b.languages}</dt>
                  <dd>
                    <Languages ctx={ctx} consultant={c} />
                  </dd>
                </dl>
                {c.is_accepting_bookings && (
                  <a class="button" href={localPath(lang, `/consultants/${c.id}/book`)}>
                    {t.bookConsultation}
                    <span class="visually-hidden"> – {fullName(c)}</span>
                  </a>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {pages > 1 && (
        <nav class="pager" aria-label={t.pagination}>
          {page > 1 && (
            <a href={localPath(lang, page === 2 ? path : `${path}?page=${String(page - 1)}`)} rel="prev">
              {t.previous}
            </a>
          )}
          <span>{fill(t.pageOf, { page, pages })}</span>
          {page < pages && (
            <a href={localPath(lang, `${path}?page=${String(page + 1)}`)} rel="next">
              {t.next}
            </a>
          )}
        </nav>
      )}
    </Document>
  );
}

/** /{lang}/consultants/{id}: the profile, with a Person in JSON-LD. */
export function ConsultantPage({
  ctx,
  consultant: c,
  media,
}: {
  ctx: SiteContext;
  consultant: PublicConsultant;
  media: MediaMap;
}) {
  const { lang, t, origin } = ctx;
  const b = BOOKING_MESSAGES[lang];
  const name = fullName(c);
  const path = `/consultants/${c.id}`;
  const bio = c.biography?.trim() ? c.biography : null;
  const english = lang !== 'en' && c.fallbacks.includes('biography');
  const description = bio
    ? shorten(plainText(bio), 160)
    : [c.title, c.expertise.join(', ')].filter(Boolean).join(' – ') || undefined;
  const photoId = c.photo_url ? MEDIA_PHOTO.exec(c.photo_url)?.[1] : undefined;
  const image = photoId ? (media.get(photoId)?.variants.at(-1)?.url ?? c.photo_url) : c.photo_url;
  const person = {
    '@context': 'https://schema.org',
    '@type': 'Person',
    name,
    givenName: c.first_name,
    familyName: c.last_name,
    url: `${origin}${localPath(lang, path)}`,
    ...(c.title ? { jobTitle: c.title } : {}),
    ...(image ? { image: /^https?:/.test(image) ? image : `${origin}${image}` } : {}),
    ...(description ? { description } : {}),
    ...(c.expertise.length > 0 ? { knowsAbout: c.expertise } : {}),
    knowsLanguage: c.languages,
    ...(c.linkedin_url ? { sameAs: [c.linkedin_url] } : {}),
    worksFor: { '@type': 'Organization', name: ctx.siteTitle, url: `${origin}/` },
  };
  const crumbs = {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: [
      { name: t.home, path: '/' },
      { name: b.consultantsTitle, path: '/consultants' },
      { name, path },
    ].map((crumb, index) => ({
      '@type': 'ListItem',
      position: index + 1,
      name: crumb.name,
      item: `${origin}${localPath(lang, crumb.path)}`,
    })),
  };
  return (
    <Document
      ctx={ctx}
      current={path}
      head={{
        title: c.title ? `${name}, ${c.title}` : name,
        description,
        path,
        image: image ?? undefined,
        ogType: 'profile',
        jsonLd: [person, crumbs],
      }}
    >
      <nav class="crumbs" aria-label={t.breadcrumbs}>
        <ol>
          <li>
            <a href={localPath(lang, '/')}>{t.home}</a>
          </li>
          <li>
            <a href={localPath(lang, '/consultants')}>{b.consultantsTitle}</a>
          </li>
          <li aria-current="page">{name}</li>
        </ol>
      </nav>
      <div class="profile">
        <Photo consultant={c} media={media} ctx={ctx} size={224} eager />
        <div>
          <h1>{name}</h1>
          {c.title && <p class="lead">{c.title}</p>}
          <dl class="facts">
            {c.expertise.length > 0 && (
              <>
                <dt>{b.expertise}</dt>
                <dd>{c.expertise.join(', ')}</dd>
              </>
            )}
            <dt>{b.languages}</dt>
            <dd>
              <Languages ctx={ctx} consultant={c} />
            </dd>
          </dl>
          {c.is_accepting_bookings ? (
            <p>
              <a class="button" href={localPath(lang, `${path}/book`)}>
                {t.bookConsultation}
              </a>
            </p>
          ) : (
            <p class="notice">{fill(b.notAccepting, { name })}</p>
          )}
          {c.linkedin_url && (
            <p>
              <a href={c.linkedin_url} rel="noopener noreferrer me">
                {fill(b.linkedin, { name })}
              </a>
            </p>
          )}
        </div>
      </div>
      {bio && (
        <section aria-labelledby="about-title">
          <h2 id="about-title">{fill(b.about, { name: c.first_name })}</h2>
          {english && <p class="notice">{t.untranslated}</p>}
          <div lang={english ? 'en' : undefined}>
            <Markdown source={bio} />
          </div>
        </section>
      )}
      <p>
        <a href={localPath(lang, '/consultants')}>{b.allConsultants}</a>
      </p>
    </Document>
  );
}
