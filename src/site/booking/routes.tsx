import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import {
  dateOf,
  dayNumber,
  DURATIONS,
  formatLocal,
  localDate,
  localDay,
  type Interval,
  type SlotsQuery,
} from '../../modules/availability/index.ts';
import { bookingError, type ManageView } from '../../modules/bookings/index.ts';
import type { PublicConsultant } from '../../modules/consultants/index.ts';
import { AppError } from '../../platform/http/errors.ts';
import { perIpLimit } from '../../platform/http/rate-limit.ts';
import type { Locale } from '../../platform/i18n/index.ts';
import { localPath, type SiteContext } from '../context.ts';
import {
  fieldOf,
  formRoutes,
  FORM_MESSAGES,
  MessagePage,
  Validation,
  type SiteForms,
} from '../forms/index.ts';
import { htmlAnswer, sendHtml, type Caching } from '../html.ts';
import type { Site } from '../site.tsx';
import {
  CancelPage,
  ConfirmationPage,
  FeedbackPage,
  InvalidLinkPage,
  ManagePage,
  MovePage,
  tokenHref,
  type MoveView,
} from './client.tsx';
import { ConsultantPage, ConsultantsPage, fullName, photoIds } from './consultants.tsx';
import { stepHref, type Choices, type Flow, type StepName } from './flow.ts';
import { zoneOf } from './format.ts';
import { SiteMemo } from './memo.ts';
import { BOOKING_MESSAGES, fill } from './messages.ts';
import {
  BookingStepPage,
  EMPTY_DETAILS,
  LIMITS,
  MEETING_TYPES,
  type Details,
  type Slot,
  type StepView,
} from './steps.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
/** Consultants per page of the list. */
const PER_PAGE = 24;
/** Days the day step shows at once. */
const WINDOW_DAYS = 14;
const STEP_NAMES: StepName[] = ['duration', 'day', 'time', 'details'];
/** Why the time step is shown again: a time taken meanwhile, no longer offered, or the booking's own. */
const PROBLEMS = ['taken', 'gone', 'same'] as const;
type Problem = (typeof PROBLEMS)[number];

type Query = Record<string, unknown>;

/** A query or form value that is one string (a repeated one counts as missing). */
function one(source: unknown, name: string): string | undefined {
  const value = fieldOf(source, name);
  return value === '' ? undefined : value;
}

/** The choices of a step's query or a posted form, each kept only when well-formed. */
function choicesOf(source: unknown, tzDefault?: string): Choices {
  const duration = Number(one(source, 'duration'));
  const tz = one(source, 'tz');
  const from = one(source, 'from');
  const day = one(source, 'day');
  const start = one(source, 'start');
  return {
    duration: (DURATIONS as readonly number[]).includes(duration) ? duration : undefined,
    tz: tz !== undefined ? zoneOf(tz) : tzDefault,
    from: from && DATE.test(from) ? from : undefined,
    day: day && DATE.test(day) ? day : undefined,
    start: start && ISO.test(start) && !Number.isNaN(Date.parse(start)) ? start : undefined,
  };
}

function stepAsked(query: unknown): StepName | undefined {
  const step = one(query, 'step');
  return STEP_NAMES.find((name) => name === step);
}

function problemOf(query: unknown): Problem | undefined {
  const problem = one(query, 'problem');
  return PROBLEMS.find((p) => p === problem);
}

/** A slot as the steps show it, from its start (UTC), duration and the visitor's zone. */
function slotAt(start: string, duration: number, tz: string): Slot {
  const at = Date.parse(start);
  return {
    start_utc: new Date(at).toISOString(),
    start_local: formatLocal(at, tz),
    end_local: formatLocal(at + duration * 60_000, tz),
  };
}

function appError(error: unknown, ...codes: string[]): AppError | undefined {
  return error instanceof AppError && codes.includes(error.code) ? error : undefined;
}

/**
 * The consultant pages, booking without JavaScript and the client's pages behind the mails' links, all in a
 * form scope (forms/): HTML forms, CSRF, honeypot, the booking API's rate limits, refusals as pages.
 */
export async function bookingSiteRoutes(app: FastifyInstance, site: Site): Promise<void> {
  const { config } = app;
  const memo = new SiteMemo(site);
  await formRoutes(
    app,
    site,
    {
      secret: config.appSecret ?? '',
      secure: config.publicUrl.startsWith('https://'),
      rateLimit: config.bookingRateLimit,
    },
    (scope, forms) => {
      for (const lang of ['en', 'de'] as const) register(scope, forms, lang);
    },
  );

  async function send(
    request: FastifyRequest,
    reply: FastifyReply,
    page: VNode,
    caching: Caching,
    status = 200,
  ): Promise<FastifyReply> {
    return sendHtml(request, reply, htmlAnswer(page, status), caching);
  }

  async function notFound(request: FastifyRequest, reply: FastifyReply, lang: Locale) {
    return sendHtml(request, reply, await site.notFound(lang), 'public');
  }

  async function message(
    request: FastifyRequest,
    reply: FastifyReply,
    lang: Locale,
    title: string,
    text: string,
    status: number,
  ) {
    const ctx = await frame(lang);
    return send(request, reply, <MessagePage ctx={ctx} title={title} text={text} />, 'none', status);
  }

  async function invalidLink(request: FastifyRequest, reply: FastifyReply, lang: Locale) {
    const ctx = await frame(lang);
    const text = bookingError('bookings.invalid_link').messageIn(lang);
    return send(request, reply, <InvalidLinkPage ctx={ctx} text={text} />, 'none', 404);
  }

  /** The site's frame in `lang` (menu, footer; the site keeps it while its cache keeps pages). */
  function frame(lang: Locale): Promise<SiteContext> {
    return site.context(lang);
  }

  /** A consultant visitors may see, or undefined; kept while the site's cache is (it drops on any change). */
  async function publicConsultant(id: string, lang: Locale): Promise<PublicConsultant | undefined> {
    if (!UUID.test(id)) return undefined;
    const key = id.toLowerCase();
    return memo.get(`consultant\u0000${lang}\u0000${key}`, async () => {
      try {
        return await app.consultants.getPublic(key, lang);
      } catch (error) {
        if (appError(error, 'consultants.not_found')) return undefined;
        throw error;
      }
    });
  }

  /** The day step's window: `from` (today by default) and up to 13 days on, within booking.horizon_days. */
  async function window(tz: string, asked: string | undefined) {
    const today = localDate(app.clock().getTime(), tz);
    const horizon = await app.settings.get('booking.horizon_days');
    const first = dayNumber(today);
    const last = first + Math.max(1, horizon) - 1;
    let from = asked ? dayNumber(asked) : first;
    if (from < first || from > last) from = first;
    const to = Math.min(from + WINDOW_DAYS - 1, last);
    return {
      from: dateOf(from),
      to: dateOf(to),
      earlier: from > first ? dateOf(Math.max(first, from - WINDOW_DAYS)) : undefined,
      later: to < last ? dateOf(to + 1) : undefined,
      inRange: (day: string) => dayNumber(day) >= first && dayNumber(day) <= last,
    };
  }

  /** Free times per local day in `tz` (YYYY-MM-DD), from the UTC intervals: no text made per time. */
  function countByDay(slots: Interval[], tz: string): { date: string; count: number }[] {
    const counts = new Map<number, number>();
    for (const slot of slots) {
      const day = localDay(slot.start, tz);
      counts.set(day, (counts.get(day) ?? 0) + 1);
    }
    return [...counts].map(([day, count]) => ({ date: dateOf(day), count }));
  }

  /** Free times per day between two dates, from a slots answer. */
  function dayCounts(slots: { date: string }[]): { date: string; count: number }[] {
    const counts = new Map<string, number>();
    for (const slot of slots) counts.set(slot.date, (counts.get(slot.date) ?? 0) + 1);
    return [...counts].map(([date, count]) => ({ date, count }));
  }

  /** The message of a time step shown again. */
  function problemText(lang: Locale, problem: Problem | undefined): string | undefined {
    if (problem === 'taken') return bookingError('bookings.slot_taken').messageIn(lang);
    if (problem === 'same') return bookingError('bookings.same_time').messageIn(lang);
    if (problem === 'gone') return BOOKING_MESSAGES[lang].timeGone;
    return undefined;
  }

  /**
   * Which step the choices lead to and what it shows: the one asked for when its choices are there, else the
   * furthest they reach. `slotsOf` reads the offered times (the consultant's, or a moved booking's).
   */
  async function stepView(
    choices: Choices,
    asked: StepName | undefined,
    /** The days with free times between two local dates, and how many each has. */
    daysOf: (from: string, to: string, tz: string) => Promise<{ date: string; count: number }[]>,
    /** The free times of one local day. */
    slotsOf: (day: string, tz: string) => Promise<{ slots: Slot[] }>,
    lang: Locale,
    problem: Problem | undefined,
    first: StepName,
  ): Promise<{
    view: Exclude<StepView, { step: 'details' }> | { step: 'details'; slot: Slot };
    choices: Choices;
  }> {
    const { duration, tz } = choices;
    if (duration === undefined || tz === undefined || (asked === 'duration' && first === 'duration')) {
      return { view: { step: 'duration', durations: DURATIONS }, choices };
    }
    const days = await window(tz, choices.from ?? choices.day);
    const day = choices.day && days.inRange(choices.day) ? choices.day : undefined;
    if (day === undefined || asked === 'day' || asked === 'duration') {
      return {
        view: { step: 'day', days: await daysOf(days.from, days.to, tz), ...days },
        choices: { ...choices, from: days.from, day },
      };
    }
    const kept = { ...choices, from: choices.from ?? days.from, day };
    const answer = await slotsOf(day, tz);
    const slot = answer.slots.find((s) => s.start_utc === choices.start);
    if (!slot || asked === 'time' || problem) {
      const gone = choices.start !== undefined && !slot && asked !== 'time' ? 'gone' : undefined;
      return {
        view: { step: 'time', slots: answer.slots, message: problemText(lang, problem ?? gone) },
        choices: kept,
      };
    }
    return { view: { step: 'details', slot }, choices: kept };
  }

  /** A failed read of the offered times a visitor can understand (not taking bookings, calendar down). */
  function slotsRefusal(error: unknown): AppError | undefined {
    return appError(error, 'availability.not_accepting', 'availability.calendar_unavailable');
  }

  function register(scope: FastifyInstance, forms: SiteForms, lang: Locale) {
    const b = BOOKING_MESSAGES[lang];
    const steps = { ...forms.page, ...perIpLimit(config.slotsRateLimit) };
    const hide = { hide: true };

    // ----- consultants ---------------------------------------------------------------------------------------

    scope.get<{ Querystring: Query }>(
      `/${lang}/consultants`,
      { config: forms.page, schema: hide },
      async (request, reply) => {
        const raw = one(request.query, 'page');
        const page = raw === undefined ? 1 : Number(raw);
        if (
          !Number.isInteger(page) ||
          page < 1 ||
          page > 1000 ||
          (raw !== undefined && raw !== String(page))
        ) {
          return notFound(request, reply, lang);
        }
        const answer = await site.cache.load(`consultants\u0000${lang}\u0000${String(page)}`, async () => {
          const list = await app.consultants.listPublic({ lang, page, per_page: PER_PAGE });
          const pages = Math.max(1, Math.ceil(list.total / PER_PAGE));
          if (page > pages) return undefined;
          const [ctx, media] = await Promise.all([frame(lang), app.media.liveViews(photoIds(list.items))]);
          return htmlAnswer(
            <ConsultantsPage ctx={ctx} consultants={list.items} media={media} page={page} pages={pages} />,
          );
        });
        if (!answer) return notFound(request, reply, lang);
        return sendHtml(request, reply, answer, 'public');
      },
    );

    scope.get<{ Params: { id: string } }>(
      `/${lang}/consultants/:id`,
      { config: forms.page, schema: hide },
      async (request, reply) => {
        const { id } = request.params;
        if (!UUID.test(id) || id !== id.toLowerCase()) return notFound(request, reply, lang);
        const answer = await site.cache.load(`consultant\u0000${lang}\u0000${id}`, async () => {
          const consultant = await publicConsultant(id, lang);
          if (!consultant) return undefined;
          const [ctx, media] = await Promise.all([frame(lang), app.media.liveViews(photoIds([consultant]))]);
          return htmlAnswer(<ConsultantPage ctx={ctx} consultant={consultant} media={media} />);
        });
        if (!answer) return notFound(request, reply, lang);
        return sendHtml(request, reply, answer, 'public');
      },
    );

    // ----- booking ---------------------------------------------------------------------------------------------

    const bookingFlow = (id: string, path = localPath(lang, `/consultants/${id}/book`)): Flow => ({
      path,
      keep: {},
    });

    /** A step of the booking form; its language twin is the same step with the same choices. */
    async function stepPage(
      request: FastifyRequest,
      reply: FastifyReply,
      consultant: PublicConsultant,
      choices: Choices,
      view: StepView,
      caching: Caching,
      status = 200,
    ) {
      const ctx = await frame(lang);
      const twin = stepHref(
        bookingFlow(consultant.id, `/consultants/${consultant.id}/book`),
        choices,
        view.step,
      );
      return send(
        request,
        reply,
        <BookingStepPage
          ctx={ctx}
          consultant={consultant}
          flow={bookingFlow(consultant.id)}
          choices={choices}
          view={view}
          twin={twin}
        />,
        caching,
        status,
      );
    }

    async function detailsPage(
      request: FastifyRequest,
      reply: FastifyReply,
      consultant: PublicConsultant,
      choices: Choices,
      form: {
        slot: Slot;
        values: Details;
        errors: ReadonlyMap<string, string>;
        general?: string | undefined;
      },
      status: number,
    ) {
      const view: StepView = { step: 'details', ...form, csrf: forms.token(request, reply) };
      return stepPage(request, reply, consultant, choices, view, 'none', status);
    }

    scope.get<{ Params: { id: string }; Querystring: Query }>(
      `/${lang}/consultants/:id/book`,
      { config: steps, schema: hide },
      async (request, reply) => {
        const consultant = await publicConsultant(request.params.id, lang);
        if (!consultant) return notFound(request, reply, lang);
        const title = fill(b.bookWith, { name: fullName(consultant) });
        if (!consultant.is_accepting_bookings) {
          const text = fill(b.notAccepting, { name: fullName(consultant) });
          return message(request, reply, lang, title, text, 200);
        }
        const asked = choicesOf(request.query);
        const duration = (asked.duration ?? 60) as SlotsQuery['duration'];
        let step;
        try {
          step = await stepView(
            asked,
            stepAsked(request.query),
            async (from, to, tz) => {
              const free = await app.availability.freeTimes(consultant.id, { from, to, tz, duration });
              return countByDay(free.slots, tz);
            },
            (day, tz) => app.availability.slots(consultant.id, { from: day, to: day, tz, duration }),
            lang,
            problemOf(request.query),
            'duration',
          );
        } catch (error) {
          const refused = slotsRefusal(error);
          if (refused) return message(request, reply, lang, title, refused.messageIn(lang), refused.status);
          throw error;
        }
        const { view, choices } = step;
        if (view.step === 'details') {
          return detailsPage(
            request,
            reply,
            consultant,
            choices,
            { slot: view.slot, values: EMPTY_DETAILS, errors: new Map() },
            200,
          );
        }
        return stepPage(request, reply, consultant, choices, view, 'private');
      },
    );

    scope.post<{ Params: { id: string } }>(
      `/${lang}/consultants/:id/book`,
      { config: forms.post, schema: hide },
      async (request, reply) => {
        void reply.header('cache-control', 'no-store');
        const consultant = await publicConsultant(request.params.id, lang);
        if (!consultant) return notFound(request, reply, lang);
        const flow = bookingFlow(consultant.id);
        const choices = choicesOf(request.body);
        const { duration, tz, start } = choices;
        if (
          duration === undefined ||
          tz === undefined ||
          start === undefined ||
          one(request.body, 'tz') === undefined
        ) {
          return reply.redirect(stepHref(flow, choices), 303);
        }
        const check = forms.check(request);
        // A bot filled the honeypot: it is told what a person would be, and nothing is booked.
        if (check === 'bot') return reply.redirect(localPath(lang, '/bookings/confirmed'), 303);

        const v = new Validation(lang, request.body);
        const values: Details = {
          meeting_type: v.choice('meeting_type', b.meeting, MEETING_TYPES) ?? 'video',
          first_name: v.text('first_name', b.firstName, { required: true, max: LIMITS.name }),
          last_name: v.text('last_name', b.lastName, { required: true, max: LIMITS.name }),
          email: v.email('email', b.email, LIMITS.email),
          phone: v.text('phone', b.phone, { max: LIMITS.phone }),
          company: v.text('company', b.company, { max: LIMITS.company }),
          message: v.text('message', b.message, { max: LIMITS.message }),
          consent: v.checked('consent', b.consentRequired),
        };
        if (values.meeting_type === 'phone' && values.phone === '') v.fail('phone', b.phoneForCall);
        // The order of the summary follows the form's.
        const ordered = new Map(
          ['meeting_type', 'first_name', 'last_name', 'email', 'phone', 'company', 'message', 'consent']
            .filter((name) => v.errors.has(name))
            .map((name) => [name, v.errors.get(name) ?? '']),
        );
        const day = choices.day ?? localDate(Date.parse(start), tz);
        const kept = { ...choices, day };
        const slot = slotAt(start, duration, tz);
        if (check === 'forged' || !v.ok) {
          const general = check === 'forged' ? FORM_MESSAGES[lang].csrf : undefined;
          return detailsPage(
            request,
            reply,
            consultant,
            kept,
            { slot, values, errors: ordered, general },
            check === 'forged' ? 403 : 422,
          );
        }
        let booking;
        try {
          ({ booking } = await app.bookings.create(
            {
              consultant_id: consultant.id,
              start: slot.start_utc,
              duration: duration as 30,
              meeting_type: values.meeting_type as 'video',
              client_first_name: values.first_name,
              client_last_name: values.last_name,
              client_email: values.email,
              ...(values.phone ? { client_phone: values.phone } : {}),
              ...(values.company ? { client_company: values.company } : {}),
              ...(values.message ? { message: values.message } : {}),
              language: lang,
              privacy_consent: true,
              timezone: tz,
            },
            request.actor,
          ));
        } catch (error) {
          if (appError(error, 'bookings.slot_taken', 'bookings.slot_unavailable')) {
            const problem = appError(error, 'bookings.slot_taken') ? 'taken' : 'gone';
            return reply.redirect(stepHref(flow, kept, 'time', { problem }), 303);
          }
          const refused = appError(
            error,
            'availability.calendar_unavailable',
            'availability.not_accepting',
            'bookings.consultant_not_found',
          );
          if (refused) {
            return detailsPage(
              request,
              reply,
              consultant,
              kept,
              { slot, values, errors: new Map(), general: refused.messageIn(lang) },
              refused.status,
            );
          }
          throw error;
        }
        const token = new URL(booking.manage_url).searchParams.get('token') ?? '';
        return reply.redirect(tokenHref(lang, '/bookings/confirmed', token), 303);
      },
    );

    // ----- the client's pages ------------------------------------------------------------------------------------

    /** What `read` answers for a client's link token, or undefined for a link that does not work. */
    async function byLink<T>(token: string | undefined, read: (token: string) => Promise<T>) {
      if (!token || token.length > 200) return undefined;
      try {
        return await read(token);
      } catch (error) {
        if (appError(error, 'bookings.invalid_link')) return undefined;
        throw error;
      }
    }

    /** The booking behind a manage token, or undefined for a link that does not work. */
    function managed(token: string | undefined): Promise<ManageView | undefined> {
      return byLink(token, (t) => app.bookings.manage(t));
    }

    scope.get<{ Querystring: Query }>(
      `/${lang}/bookings/confirmed`,
      { config: forms.page, schema: hide },
      async (request, reply) => {
        const token = one(request.query, 'token');
        const view = await managed(token);
        if (token && !view) return invalidLink(request, reply, lang);
        const ctx = await frame(lang);
        return send(request, reply, <ConfirmationPage ctx={ctx} view={view} token={token ?? ''} />, 'none');
      },
    );

    scope.get<{ Querystring: Query }>(
      `/${lang}/bookings/invite.ics`,
      { config: forms.page, schema: hide },
      async (request, reply) => {
        const token = one(request.query, 'token');
        if (!token || token.length > 200) return invalidLink(request, reply, lang);
        let file;
        try {
          file = await app.bookings.calendarFile(token, lang);
        } catch (error) {
          if (appError(error, 'bookings.invalid_link')) return invalidLink(request, reply, lang);
          throw error;
        }
        return reply
          .header('cache-control', 'no-store')
          .header('content-type', 'text/calendar; charset=utf-8')
          .header('content-disposition', `attachment; filename="${file.reference}.ics"`)
          .send(file.ics);
      },
    );

    scope.get<{ Querystring: Query }>(
      `/${lang}/bookings/manage`,
      { config: forms.page, schema: hide },
      async (request, reply) => {
        const token = one(request.query, 'token');
        const view = await managed(token);
        if (!token || !view) return invalidLink(request, reply, lang);
        const ctx = await frame(lang);
        const notice = one(request.query, 'done');
        return send(
          request,
          reply,
          <ManagePage ctx={ctx} view={view} token={token} notice={notice} />,
          'none',
        );
      },
    );

    const managePage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      token: string,
      problem: string,
    ) => {
      const view = await managed(token);
      if (!view) return invalidLink(request, reply, lang);
      const ctx = await frame(lang);
      return send(
        request,
        reply,
        <ManagePage ctx={ctx} view={view} token={token} problem={problem} />,
        'none',
        409,
      );
    };

    const cancelPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      view: ManageView,
      token: string,
      form: {
        reason: string;
        confirmed: boolean;
        errors: ReadonlyMap<string, string>;
        general?: string | undefined;
      },
      status: number,
    ) => {
      const ctx = await frame(lang);
      const csrf = forms.token(request, reply);
      return send(
        request,
        reply,
        <CancelPage ctx={ctx} view={view} token={token} csrf={csrf} {...form} />,
        'none',
        status,
      );
    };

    scope.get<{ Querystring: Query }>(
      `/${lang}/bookings/manage/cancel`,
      { config: forms.page, schema: hide },
      async (request, reply) => {
        const token = one(request.query, 'token');
        const view = await managed(token);
        if (!token || !view) return invalidLink(request, reply, lang);
        if (!view.can_change) return reply.redirect(tokenHref(lang, '/bookings/manage', token), 303);
        return cancelPage(
          request,
          reply,
          view,
          token,
          { reason: '', confirmed: false, errors: new Map() },
          200,
        );
      },
    );

    scope.post(
      `/${lang}/bookings/manage/cancel`,
      { config: forms.post, schema: hide },
      async (request, reply) => {
        void reply.header('cache-control', 'no-store');
        const token = one(request.body, 'token');
        const view = await managed(token);
        if (!token || !view) return invalidLink(request, reply, lang);
        const back = tokenHref(lang, '/bookings/manage', token);
        const check = forms.check(request);
        if (check === 'bot') return reply.redirect(back, 303);
        const v = new Validation(lang, request.body);
        const reason = v.text('reason', b.reason, { max: 2000 });
        const confirmed = v.checked('confirm', b.confirmCancelRequired);
        if (check === 'forged' || !v.ok) {
          const general = check === 'forged' ? FORM_MESSAGES[lang].csrf : undefined;
          return cancelPage(
            request,
            reply,
            view,
            token,
            { reason, confirmed, errors: v.errors, general },
            check === 'forged' ? 403 : 422,
          );
        }
        try {
          await app.bookings.cancelByClient(token, reason || undefined, request.actor);
        } catch (error) {
          const refused = appError(
            error,
            'bookings.cutoff_passed',
            'bookings.not_confirmed',
            'bookings.already_over',
          );
          if (refused) return managePage(request, reply, token, refused.messageIn(lang));
          throw error;
        }
        return reply.redirect(`${back}&done=cancelled`, 303);
      },
    );

    // Moving: the day and time steps for the booking's duration, then a confirmation; the token is kept.
    const moveFlow = (token: string, path = localPath(lang, '/bookings/manage/move')): Flow => ({
      path,
      keep: { token },
    });

    async function movePage(
      request: FastifyRequest,
      reply: FastifyReply,
      view: ManageView,
      token: string,
      choices: Choices & { tz: string },
      step: MoveView,
      caching: Caching,
      status = 200,
    ) {
      const ctx = await frame(lang);
      return send(
        request,
        reply,
        <MovePage ctx={ctx} view={view} token={token} flow={moveFlow(token)} choices={choices} step={step} />,
        caching,
        status,
      );
    }

    scope.get<{ Querystring: Query }>(
      `/${lang}/bookings/manage/move`,
      { config: steps, schema: hide },
      async (request, reply) => {
        const token = one(request.query, 'token');
        const view = await managed(token);
        if (!token || !view) return invalidLink(request, reply, lang);
        if (!view.can_change) return reply.redirect(tokenHref(lang, '/bookings/manage', token), 303);
        const asked = stepAsked(request.query);
        let step;
        try {
          step = await stepView(
            { ...choicesOf(request.query, view.timezone), duration: view.duration },
            asked === 'duration' ? 'day' : asked,
            async (from, to, tz) => dayCounts((await app.bookings.moveSlots(token, { from, to, tz })).slots),
            (day, tz) => app.bookings.moveSlots(token, { from: day, to: day, tz }),
            lang,
            problemOf(request.query),
            'day',
          );
        } catch (error) {
          const refused = slotsRefusal(error);
          if (refused) {
            return message(request, reply, lang, b.moveTitle, refused.messageIn(lang), refused.status);
          }
          throw error;
        }
        const choices = { ...step.choices, tz: step.choices.tz ?? view.timezone };
        const { view: shown } = step;
        if (shown.step === 'details') {
          const csrf = forms.token(request, reply);
          return movePage(
            request,
            reply,
            view,
            token,
            choices,
            { step: 'details', slot: shown.slot, csrf },
            'none',
          );
        }
        const moveView: MoveView =
          shown.step === 'time'
            ? { step: 'time', slots: shown.slots, message: shown.message }
            : {
                step: 'day',
                day: shown.step === 'day' ? shown : { step: 'day', days: [], from: '', to: '' },
              };
        return movePage(request, reply, view, token, choices, moveView, 'none');
      },
    );

    scope.post(
      `/${lang}/bookings/manage/move`,
      { config: forms.post, schema: hide },
      async (request, reply) => {
        void reply.header('cache-control', 'no-store');
        const token = one(request.body, 'token');
        const view = await managed(token);
        if (!token || !view) return invalidLink(request, reply, lang);
        const back = tokenHref(lang, '/bookings/manage', token);
        const parsed = choicesOf(request.body, view.timezone);
        const tz = parsed.tz ?? view.timezone;
        const choices = { ...parsed, tz, duration: view.duration };
        const flow = moveFlow(token);
        if (!choices.start) return reply.redirect(stepHref(flow, choices, 'day'), 303);
        const check = forms.check(request);
        if (check === 'bot') return reply.redirect(back, 303);
        const kept = { ...choices, day: choices.day ?? localDate(Date.parse(choices.start), tz) };
        if (check === 'forged') {
          const csrf = forms.token(request, reply);
          const slot = slotAt(choices.start, view.duration, tz);
          return movePage(
            request,
            reply,
            view,
            token,
            kept,
            { step: 'details', slot, csrf, general: FORM_MESSAGES[lang].csrf },
            'none',
            403,
          );
        }
        try {
          await app.bookings.rescheduleByClient(token, choices.start, request.actor);
        } catch (error) {
          if (appError(error, 'bookings.slot_taken', 'bookings.slot_unavailable', 'bookings.same_time')) {
            const problem = appError(error, 'bookings.slot_taken')
              ? 'taken'
              : appError(error, 'bookings.same_time')
                ? 'same'
                : 'gone';
            return reply.redirect(stepHref(flow, kept, 'time', { problem }), 303);
          }
          const refused = appError(
            error,
            'bookings.cutoff_passed',
            'bookings.not_confirmed',
            'bookings.already_over',
            'availability.calendar_unavailable',
          );
          if (refused) return managePage(request, reply, token, refused.messageIn(lang));
          throw error;
        }
        return reply.redirect(`${back}&done=moved`, 303);
      },
    );

    // ----- feedback ----------------------------------------------------------------------------------------------

    function feedbackView(token: string | undefined) {
      return byLink(token, (t) => app.bookings.feedback(t));
    }

    scope.get<{ Querystring: Query }>(
      `/${lang}/bookings/feedback`,
      { config: forms.page, schema: hide },
      async (request, reply) => {
        const token = one(request.query, 'token');
        const view = await feedbackView(token);
        if (!token || !view) return invalidLink(request, reply, lang);
        const ctx = await frame(lang);
        const csrf = view.can_rate ? forms.token(request, reply) : '';
        const thanks = one(request.query, 'thanks') === '1';
        return send(
          request,
          reply,
          <FeedbackPage
            ctx={ctx}
            view={view}
            token={token}
            csrf={csrf}
            rating=""
            text=""
            errors={new Map()}
            thanks={thanks}
          />,
          'none',
        );
      },
    );

    scope.post(`/${lang}/bookings/feedback`, { config: forms.post, schema: hide }, async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      const token = one(request.body, 'token');
      const view = await feedbackView(token);
      if (!token || !view) return invalidLink(request, reply, lang);
      const done = `${tokenHref(lang, '/bookings/feedback', token)}&thanks=1`;
      const check = forms.check(request);
      if (check === 'bot') return reply.redirect(done, 303);
      const v = new Validation(lang, request.body);
      const rating = one(request.body, 'rating') ?? '';
      if (!['1', '2', '3', '4', '5'].includes(rating)) v.fail('rating', b.ratingRequired);
      const text = v.text('text', b.comment, { max: 2000 });
      const again = async (
        errors: ReadonlyMap<string, string>,
        general: string | undefined,
        status: number,
      ) => {
        const ctx = await frame(lang);
        const csrf = forms.token(request, reply);
        return send(
          request,
          reply,
          <FeedbackPage
            ctx={ctx}
            view={view}
            token={token}
            csrf={csrf}
            rating={rating}
            text={text}
            errors={errors}
            general={general}
            thanks={false}
          />,
          'none',
          status,
        );
      };
      if (check === 'forged') return again(v.errors, FORM_MESSAGES[lang].csrf, 403);
      if (!v.ok) return again(v.errors, undefined, 422);
      try {
        await app.bookings.giveFeedback(
          { token, rating: Number(rating), ...(text ? { text } : {}) },
          request.actor,
        );
      } catch (error) {
        const refused = appError(error, 'bookings.feedback_given', 'bookings.feedback_not_open');
        if (refused) return again(new Map(), refused.messageIn(lang), 409);
        throw error;
      }
      return reply.redirect(done, 303);
    });
  }
}
