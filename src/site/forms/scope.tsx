import type { ComponentChildren } from 'preact';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toAppError } from '../../platform/http/error-handler.ts';
import { perIpLimit } from '../../platform/http/rate-limit.ts';
import type { Locale } from '../../platform/i18n/index.ts';
import { localPath, type SiteContext } from '../context.ts';
import { htmlAnswer, sendHtml } from '../html.ts';
import { Document } from '../layout.tsx';
import type { Site } from '../site.tsx';
import { fieldOf, registerFormBody } from './body.ts';
import { HONEYPOT_FIELD } from './components.tsx';
import { CSRF_FIELD, csrfToken, csrfValid } from './csrf.ts';
import { FORM_MESSAGES } from './messages.ts';

/** What a POST of a site form turned out to be before its fields are read. */
export type PostCheck = 'ok' | 'forged' | 'bot';

export interface FormOptions {
  /** APP_SECRET: signs the CSRF fields. */
  secret: string;
  /** Served over https: the CSRF cookie is Secure. */
  secure: boolean;
  /** POSTs per minute and client IP, each route counted alone (BOOKING_RATE_LIMIT); 0: none. */
  rateLimit: number;
}

/** What the routes of a form scope use: the CSRF token of a form, the check of a POST, route configs. */
export class SiteForms {
  constructor(private readonly options: FormOptions) {}

  /** The hidden CSRF field's value for a form on this answer (sets the cookie when missing). */
  token(request: FastifyRequest, reply: FastifyReply): string {
    return csrfToken(request, reply, this.options);
  }

  /**
   * A POST's CSRF field and honeypot: 'forged' when the field does not match the visitor's cookie (the form
   * is shown again with a message and a fresh token), 'bot' when the honeypot is filled (the route answers as
   * if it had worked and does nothing).
   */
  check(request: FastifyRequest): PostCheck {
    if (!csrfValid(request, fieldOf(request.body, CSRF_FIELD), this.options.secret)) return 'forged';
    if (fieldOf(request.body, HONEYPOT_FIELD) !== '') return 'bot';
    return 'ok';
  }

  /** The config of a page's route (GET): public. */
  get page(): FastifyContextConfig {
    return { access: 'public' };
  }

  /** The config of a form's POST route: public, with the public booking API's per-IP limit. */
  get post(): FastifyContextConfig {
    return { access: 'public', ...perIpLimit(this.options.rateLimit) };
  }
}

/** The language a site URL is in (/de/… is German), English otherwise. */
export function langOfUrl(url: string): Locale {
  return url.startsWith('/de/') || url === '/de' ? 'de' : 'en';
}

/** A page that only says something: a refusal, a message after a link that no longer works. */
export function MessagePage({
  ctx,
  title,
  text,
  children,
}: {
  ctx: SiteContext;
  title: string;
  text: string;
  children?: ComponentChildren;
}) {
  return (
    <Document ctx={ctx} head={{ title, noindex: true }}>
      <h1>{title}</h1>
      <p>{text}</p>
      {children ?? (
        <p>
          <a href={localPath(ctx.lang, '/')}>{FORM_MESSAGES[ctx.lang].goBack}</a>
        </p>
      )}
    </Document>
  );
}

/**
 * Registers routes whose forms POST as HTML forms do, in a scope of their own: only there are
 * `application/x-www-form-urlencoded` bodies read, and anything refused before a handler runs (the rate
 * limit, a body too large, a malformed request) is answered with a page of the site in the URL's language,
 * not the JSON API's error.
 */
export async function formRoutes(
  app: FastifyInstance,
  site: Site,
  options: FormOptions,
  register: (scope: FastifyInstance, forms: SiteForms) => void,
): Promise<void> {
  const forms = new SiteForms(options);
  await app.register((scope, _options, done) => {
    registerFormBody(scope);
    scope.setErrorHandler(async (error, request, reply) => {
      const lang = langOfUrl(request.url);
      const appError = toAppError(error, request.id);
      if (appError.status >= 500) {
        request.log.error({ err: error }, 'the website could not answer a page');
        return sendHtml(request, reply, await site.error(lang), 'none');
      }
      request.log.info({ code: appError.code, status: appError.status }, 'request refused');
      if (appError.status === 404) return sendHtml(request, reply, await site.notFound(lang), 'none');
      const t = FORM_MESSAGES[lang];
      const [title, text] =
        appError.status === 429 ? [t.tooManyTitle, t.tooManyText] : [t.badFormTitle, t.badFormText];
      const page = <MessagePage ctx={await site.context(lang)} title={title} text={text} />;
      return sendHtml(request, reply, htmlAnswer(page, appError.status), 'none');
    });
    register(scope, forms);
    done();
  });
}
