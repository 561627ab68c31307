import type { FeedbackView, ManageView } from '../../modules/bookings/index.ts';
import { localPath, type SiteContext } from '../context.ts';
import {
  Checkbox,
  CsrfField,
  ErrorSummary,
  Honeypot,
  RadioGroup,
  TextField,
  type FieldErrors,
} from '../forms/index.ts';
import { formatLocal } from '../../modules/availability/index.ts';
import { dayLabel, timeOf, whenLabel, zoneLabel } from './format.ts';
import { BOOKING_MESSAGES, fill, type BookingMessages } from './messages.ts';
import { stepHref, type Choices, type Flow, type StepName } from './flow.ts';
import { DayList, SlotForm, StepFrame, ZoneForm, type Slot, type StepView } from './steps.tsx';

/** The client's pages behind the links of the mails: confirmation, manage, cancel, move, rate. */

const nameOf = (c: { first_name: string; last_name: string }) => `${c.first_name} ${c.last_name}`;

/** Where a token page leads: the path in the page's language with the token in the query. */
export function tokenHref(lang: SiteContext['lang'], path: string, token: string, extra = ''): string {
  return `${localPath(lang, path)}?token=${encodeURIComponent(token)}${extra}`;
}

/** The booking's facts as a definition list. */
export function BookingFacts({
  b,
  lang,
  view,
}: {
  b: BookingMessages;
  lang: SiteContext['lang'];
  view: ManageView;
}) {
  return (
    <dl class="facts booking-facts">
      <dt>{b.reference}</dt>
      <dd>
        <strong class="reference">{view.reference}</strong>
      </dd>
      <dt>{b.status}</dt>
      <dd>{b.statuses[view.status] ?? view.status}</dd>
      <dt>{b.when}</dt>
      <dd>
        {whenLabel(view.start_local, view.end_local, lang)} ({zoneLabel(view.timezone)})
      </dd>
      <dt>{b.consultant}</dt>
      <dd>
        {nameOf(view.consultant)}
        {view.consultant.title && `, ${view.consultant.title}`}
      </dd>
      <dt>{b.meeting}</dt>
      <dd>{b.meetingTypes[view.meeting_type] ?? view.meeting_type}</dd>
      {view.meeting_url && (
        <>
          <dt>{b.videoLink}</dt>
          <dd>
            <a href={view.meeting_url} rel="noopener noreferrer">
              {view.meeting_url}
            </a>
          </dd>
        </>
      )}
    </dl>
  );
}

/** /{lang}/bookings/confirmed?token=: what was booked; without a token only a thank-you. */
export function ConfirmationPage({
  ctx,
  view,
  token,
}: {
  ctx: SiteContext;
  view: ManageView | undefined;
  token: string;
}) {
  const { lang } = ctx;
  const b = BOOKING_MESSAGES[lang];
  if (!view) {
    return (
      <StepFrame ctx={ctx} title={b.receivedTitle} crumbs={[]}>
        <p>{b.receivedText}</p>
      </StepFrame>
    );
  }
  return (
    <StepFrame ctx={ctx} title={b.confirmedTitle} crumbs={[]}>
      <p class="notice success" role="status">
        {fill(b.confirmedText, { email: view.client_email })}
      </p>
      <BookingFacts b={b} lang={lang} view={view} />
      <p class="actions">
        <a
          class="button"
          href={tokenHref(lang, '/bookings/invite.ics', token)}
          download={`${view.reference}.ics`}
        >
          {b.addToCalendar}
        </a>{' '}
        <a class="button secondary" href={tokenHref(lang, '/bookings/manage', token)}>
          {b.manageLink}
        </a>
      </p>
    </StepFrame>
  );
}

/** A link from a mail that does not (or no longer) work. */
export function InvalidLinkPage({ ctx, text }: { ctx: SiteContext; text: string }) {
  const b = BOOKING_MESSAGES[ctx.lang];
  return (
    <StepFrame ctx={ctx} title={b.invalidLinkTitle} crumbs={[]}>
      <p>{text}</p>
      <p>
        <a href={localPath(ctx.lang, '/consultants')}>{b.bookAgain}</a>
      </p>
    </StepFrame>
  );
}

/** /{lang}/bookings/manage?token=: the booking, and while it may be changed, moving and cancelling. */
export function ManagePage({
  ctx,
  view,
  token,
  notice,
  problem,
}: {
  ctx: SiteContext;
  view: ManageView;
  token: string;
  /** What was just done ('cancelled', 'moved'), said when the booking shows it. */
  notice?: string | undefined;
  /** Why a change was refused (the cut-off passed meanwhile). */
  problem?: string | undefined;
}) {
  const { lang } = ctx;
  const b = BOOKING_MESSAGES[lang];
  const deadline = formatLocal(Date.parse(view.change_deadline), view.timezone);
  const deadlineText = `${dayLabel(deadline.slice(0, 10), lang)}, ${timeOf(deadline)} (${zoneLabel(view.timezone)})`;
  const said =
    notice === 'cancelled' && view.status === 'cancelled'
      ? b.cancelledNotice
      : notice === 'moved' && view.status === 'confirmed'
        ? b.movedNotice
        : undefined;
  return (
    <StepFrame ctx={ctx} title={b.manageTitle} crumbs={[]}>
      {said && (
        <p class="notice success" role="status">
          {said}
        </p>
      )}
      {problem && (
        <p class="notice warning" role="alert">
          {problem}
        </p>
      )}
      <BookingFacts b={b} lang={lang} view={view} />
      {view.status === 'confirmed' && (
        <>
          <p>
            <a href={tokenHref(lang, '/bookings/invite.ics', token)} download={`${view.reference}.ics`}>
              {b.addToCalendar}
            </a>
          </p>
          {view.can_change ? (
            <>
              <p>{fill(b.canChangeUntil, { deadline: deadlineText })}</p>
              <p class="actions">
                <a class="button" href={tokenHref(lang, '/bookings/manage/move', token)}>
                  {b.moveAction}
                </a>{' '}
                <a class="button secondary" href={tokenHref(lang, '/bookings/manage/cancel', token)}>
                  {b.cancelAction}
                </a>
              </p>
            </>
          ) : (
            <p class="notice">{fill(b.cannotChange, { contact: ctx.contactEmail })}</p>
          )}
        </>
      )}
      {view.status === 'cancelled' && (
        <p>
          <a class="button" href={localPath(lang, `/consultants/${view.consultant.id}/book`)}>
            {b.bookAgain}
          </a>
        </p>
      )}
    </StepFrame>
  );
}

/** /{lang}/bookings/manage/cancel?token=: asks once more, with an optional reason. */
export function CancelPage({
  ctx,
  view,
  token,
  csrf,
  reason,
  confirmed,
  errors,
  general,
}: {
  ctx: SiteContext;
  view: ManageView;
  token: string;
  csrf: string;
  reason: string;
  confirmed: boolean;
  errors: FieldErrors;
  general?: string | undefined;
}) {
  const { lang } = ctx;
  const b = BOOKING_MESSAGES[lang];
  const back = tokenHref(lang, '/bookings/manage', token);
  return (
    <StepFrame ctx={ctx} title={b.cancelTitle} crumbs={[{ label: b.manageTitle, href: back }]}>
      <ErrorSummary lang={lang} errors={errors} general={general} />
      <BookingFacts b={b} lang={lang} view={view} />
      <p>{b.cancelText}</p>
      <form method="post" action={localPath(lang, '/bookings/manage/cancel')} noValidate>
        <CsrfField token={csrf} />
        <input type="hidden" name="token" value={token} />
        <TextField
          lang={lang}
          name="reason"
          label={b.reason}
          optional
          rows={3}
          value={reason}
          error={errors.get('reason')}
          maxLength={2000}
        />
        <Checkbox name="confirm" label={b.confirmCancel} checked={confirmed} error={errors.get('confirm')} />
        <Honeypot lang={lang} />
        <p class="actions">
          <button type="submit">{b.cancelAction}</button> <a href={back}>{b.keep}</a>
        </p>
      </form>
    </StepFrame>
  );
}

/** /{lang}/bookings/feedback?token=: a rating of 1 to 5 and words, once. */
export function FeedbackPage({
  ctx,
  view,
  token,
  csrf,
  rating,
  text,
  errors,
  general,
  thanks,
}: {
  ctx: SiteContext;
  view: FeedbackView;
  token: string;
  csrf: string;
  rating: string;
  text: string;
  errors: FieldErrors;
  general?: string | undefined;
  thanks: boolean;
}) {
  const { lang } = ctx;
  const b = BOOKING_MESSAGES[lang];
  const intro = fill(b.feedbackIntro, {
    consultant: nameOf(view.consultant),
    date: dayLabel(view.start_local.slice(0, 10), lang),
  });
  return (
    <StepFrame ctx={ctx} title={b.feedbackTitle} crumbs={[]}>
      <ErrorSummary lang={lang} errors={errors} general={general} />
      <p>{intro}</p>
      {thanks && (
        <p class="notice success" role="status">
          {b.feedbackThanks}
        </p>
      )}
      {view.rating !== null && <p>{fill(b.feedbackGiven, { rating: view.rating })}</p>}
      {view.can_rate && !thanks && (
        <form method="post" action={localPath(lang, '/bookings/feedback')} noValidate>
          <CsrfField token={csrf} />
          <input type="hidden" name="token" value={token} />
          <RadioGroup
            name="rating"
            class="rating"
            legend={b.ratingLegend}
            value={rating}
            error={errors.get('rating')}
            choices={[5, 4, 3, 2, 1].map((n) => ({
              value: String(n),
              label: `${String(n)} – ${b.ratingLabels[n - 1] ?? ''}`,
            }))}
          />
          <TextField
            lang={lang}
            name="text"
            label={b.comment}
            optional
            rows={4}
            value={text}
            error={errors.get('text')}
            maxLength={2000}
          />
          <Honeypot lang={lang} />
          <button type="submit">{b.feedbackSubmit}</button>
        </form>
      )}
      {!view.can_rate && view.rating === null && view.status !== 'completed' && (
        <p class="notice">{b.feedbackNotOpen}</p>
      )}
    </StepFrame>
  );
}

export type MoveView =
  | { step: 'day'; day: Extract<StepView, { step: 'day' }> }
  | { step: 'time'; slots: Slot[]; message?: string | undefined }
  | { step: 'details'; slot: Slot; csrf: string; general?: string | undefined };

/** /{lang}/bookings/manage/move?token=: the day and time steps for the booking's duration, then a confirmation. */
export function MovePage({
  ctx,
  view,
  token,
  flow,
  choices,
  step,
}: {
  ctx: SiteContext;
  view: ManageView;
  token: string;
  flow: Flow;
  choices: Choices & { tz: string };
  step: MoveView;
}) {
  const { lang } = ctx;
  const b = BOOKING_MESSAGES[lang];
  const back = tokenHref(lang, '/bookings/manage', token);
  const steps: { name: StepName; label: string }[] = [
    { name: 'day', label: b.stepDay },
    { name: 'time', label: b.stepTime },
    { name: 'details', label: b.stepConfirm },
  ];
  const at = steps.findIndex((s) => s.name === step.step);
  return (
    <StepFrame ctx={ctx} title={b.moveTitle} crumbs={[{ label: b.manageTitle, href: back }]}>
      <ol class="progress">
        {steps.map((s, index) => (
          <li
            key={s.name}
            aria-current={index === at ? 'step' : undefined}
            class={index < at ? 'done' : undefined}
          >
            {index < at ? <a href={stepHref(flow, choices, s.name)}>{s.label}</a> : s.label}
          </li>
        ))}
      </ol>
      {step.step === 'details' && step.general && (
        <ErrorSummary lang={lang} errors={new Map()} general={step.general} />
      )}
      {step.step !== 'details' && (
        <p>
          {b.currentTime}: {whenLabel(view.start_local, view.end_local, lang)} ({zoneLabel(view.timezone)}),{' '}
          {fill(b.minutes, { n: view.duration })}
        </p>
      )}
      {step.step === 'day' && (
        <>
          <h2>{b.dayTitle}</h2>
          <ZoneForm b={b} flow={flow} choices={choices} step="day" />
          <DayList b={b} lang={lang} flow={flow} choices={choices} view={step.day} />
        </>
      )}
      {step.step === 'time' && (
        <>
          <h2>{b.timeTitle}</h2>
          {step.message && (
            <p class="notice warning" role="alert">
              {step.message}
            </p>
          )}
          <ZoneForm b={b} flow={flow} choices={choices} step="time" />
          {step.slots.length === 0 ? (
            <p class="notice">{b.noTimes}</p>
          ) : (
            <SlotForm
              b={b}
              lang={lang}
              flow={flow}
              choices={{ ...choices, day: choices.day ?? '' }}
              slots={step.slots}
              next="details"
            />
          )}
          <p>
            <a href={stepHref(flow, choices, 'day')}>{b.otherDay}</a>
          </p>
        </>
      )}
      {step.step === 'details' && (
        <>
          <h2>{b.moveConfirmTitle}</h2>
          <dl class="facts">
            <dt>{b.currentTime}</dt>
            <dd>
              {whenLabel(view.start_local, view.end_local, lang)} ({zoneLabel(view.timezone)})
            </dd>
            <dt>{b.newTime}</dt>
            <dd>
              {whenLabel(step.slot.start_local, step.slot.end_local, lang)} ({zoneLabel(choices.tz)}){' '}
              <a href={stepHref(flow, choices, 'time')} class="change">
                {b.change}
                <span class="visually-hidden">: {b.changeTime}</span>
              </a>
            </dd>
          </dl>
          <form method="post" action={flow.path}>
            <CsrfField token={step.csrf} />
            <input type="hidden" name="token" value={token} />
            <input type="hidden" name="tz" value={choices.tz} />
            <input type="hidden" name="day" value={choices.day ?? ''} />
            <input type="hidden" name="start" value={step.slot.start_utc} />
            <Honeypot lang={lang} />
            <p class="actions">
              <button type="submit">{b.moveSubmit}</button> <a href={back}>{b.keepTime}</a>
            </p>
          </form>
        </>
      )}
    </StepFrame>
  );
}
