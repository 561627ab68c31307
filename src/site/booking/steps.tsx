import type { ComponentChildren } from 'preact';
import type { PublicConsultant } from '../../modules/consultants/index.ts';
import { localPath, type SiteContext } from '../context.ts';
import {
  Checkbox,
  CsrfField,
  ErrorSummary,
  Honeypot,
  RadioGroup,
  TextField,
  fieldId,
  type FieldErrors,
} from '../forms/index.ts';
import { Document } from '../layout.tsx';
import { dayLabel, timeOf, whenLabel, zoneLabel, zoneOptionsHtml } from './format.ts';
import { hiddenChoices, stepHref, type Choices, type Flow, type StepName } from './flow.ts';
import { BOOKING_MESSAGES, fill, type BookingMessages } from './messages.ts';
import { fullName } from './consultants.tsx';

/** A bookable slot as the steps show it (the slots API's fields). */
export interface Slot {
  start_utc: string;
  start_local: string;
  end_local: string;
}

export const MEETING_TYPES = ['video', 'phone', 'in_person'] as const;

/** What the visitor typed into the details form, kept when it is shown again. */
export interface Details {
  meeting_type: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  company: string;
  message: string;
  consent: boolean;
}

export const EMPTY_DETAILS: Details = {
  meeting_type: 'video',
  first_name: '',
  last_name: '',
  email: '',
  phone: '',
  company: '',
  message: '',
  consent: false,
};

/** The limits of the booking API (BookingRequestSchema). */
export const LIMITS = { name: 100, email: 255, phone: 50, company: 200, message: 5000 } as const;

export type StepView =
  | { step: 'duration'; durations: readonly number[] }
  | {
      step: 'day';
      days: { date: string; count: number }[];
      from: string;
      to: string;
      earlier?: string | undefined;
      later?: string | undefined;
    }
  | { step: 'time'; slots: Slot[]; message?: string | undefined }
  | {
      step: 'details';
      slot: Slot;
      values: Details;
      errors: FieldErrors;
      general?: string | undefined;
      csrf: string;
    };

const STEPS: StepName[] = ['duration', 'day', 'time', 'details'];

function stepTitle(b: BookingMessages, step: StepName): string {
  return { duration: b.stepDuration, day: b.stepDay, time: b.stepTime, details: b.stepDetails }[step];
}

/** The steps as a list, the current one marked; the done ones link back with the choices kept. */
export function Progress({
  b,
  flow,
  choices,
  current,
  steps = STEPS,
}: {
  b: BookingMessages;
  flow: Flow;
  choices: Choices;
  current: StepName;
  steps?: StepName[];
}) {
  const at = steps.indexOf(current);
  return (
    <ol class="progress">
      {steps.map((step, index) => (
        <li
          key={step}
          aria-current={index === at ? 'step' : undefined}
          class={index < at ? 'done' : undefined}
        >
          {index < at ? <a href={stepHref(flow, choices, step)}>{stepTitle(b, step)}</a> : stepTitle(b, step)}
        </li>
      ))}
    </ol>
  );
}

/** The zone select (over 400 zones; the optional script picks the browser's own unless one was chosen). */
export function ZoneSelect({ tz, chosen, hint }: { tz: string; chosen: boolean; hint?: string | undefined }) {
  return (
    <select
      id={fieldId('tz')}
      name="tz"
      autoComplete="off"
      data-time-zone=""
      data-chosen={chosen ? 'true' : undefined}
      aria-describedby={hint ? `${fieldId('tz')}-hint` : undefined}
      dangerouslySetInnerHTML={{ __html: zoneOptionsHtml(tz) }}
    />
  );
}

function Hidden({ fields }: { fields: [string, string][] }) {
  return (
    <>
      {fields.map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

/** A small form to show the times in another zone, keeping the other choices. */
export function ZoneForm({
  b,
  flow,
  choices,
  step,
}: {
  b: BookingMessages;
  flow: Flow;
  choices: Choices & { tz: string };
  step: StepName;
}) {
  const rest = { ...choices, tz: undefined, start: undefined };
  const { tz } = choices;
  return (
    <form class="zone-form" method="get" action={flow.path}>
      <Hidden fields={[...hiddenChoices(flow, rest), ['step', step]]} />
      <label for={fieldId('tz')}>{b.timeZone}</label> <ZoneSelect tz={tz} chosen />{' '}
      <button type="submit" class="secondary">
        {b.showTimes}
      </button>
    </form>
  );
}

/** What is chosen so far, each with a link back to its step. */
export function Summary({
  b,
  lang,
  flow,
  choices,
  consultant,
  slot,
  upTo,
  changeable = true,
}: {
  b: BookingMessages;
  lang: SiteContext['lang'];
  flow: Flow;
  choices: Choices;
  consultant?: string | undefined;
  slot?: Slot | undefined;
  upTo: StepName;
  changeable?: boolean;
}) {
  const at = STEPS.indexOf(upTo);
  const change = (step: StepName, label: string) =>
    changeable ? (
      <>
        {' '}
        <a href={stepHref(flow, choices, step)} class="change">
          {b.change}
          <span class="visually-hidden">: {label}</span>
        </a>
      </>
    ) : null;
  return (
    <section class="summary" aria-labelledby="summary-title">
      <h2 id="summary-title">{b.yourAppointment}</h2>
      <dl>
        {consultant && (
          <>
            <dt>{b.consultant}</dt>
            <dd>{consultant}</dd>
          </>
        )}
        {choices.duration !== undefined && (
          <>
            <dt>{b.duration}</dt>
            <dd>
              {fill(b.minutes, { n: choices.duration })}
              {flow.keep['token'] === undefined && change('duration', b.changeDuration)}
            </dd>
          </>
        )}
        {at >= 2 && choices.day && (
          <>
            <dt>{b.stepDay}</dt>
            <dd>
              {dayLabel(choices.day, lang)}
              {change('day', b.changeDay)}
            </dd>
          </>
        )}
        {at >= 3 && slot && (
          <>
            <dt>{b.stepTime}</dt>
            <dd>
              {timeOf(slot.start_local)}–{timeOf(slot.end_local)}
              {choices.tz && ` (${zoneLabel(choices.tz)})`}
              {change('time', b.changeTime)}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

/** The list of days with free times, with the next and previous two weeks. */
export function DayList({
  b,
  lang,
  flow,
  choices,
  view,
}: {
  b: BookingMessages;
  lang: SiteContext['lang'];
  flow: Flow;
  choices: Choices;
  view: Extract<StepView, { step: 'day' }>;
}) {
  const range = { from: dayLabel(view.from, lang), to: dayLabel(view.to, lang) };
  const chosen = choices.day;
  const kept = { ...choices, day: undefined, start: undefined };
  return (
    <>
      {view.days.length === 0 ? (
        <p class="notice">{fill(b.noDays, range)}</p>
      ) : (
        <>
          <p id="days-intro">{fill(b.daysBetween, range)}</p>
          <ul class="days" aria-labelledby="days-intro">
            {view.days.map(({ date, count }) => (
              <li key={date}>
                <a
                  href={stepHref(flow, { ...kept, from: view.from, day: date }, 'time')}
                  aria-current={date === chosen ? 'date' : undefined}
                >
                  <span class="day">{dayLabel(date, lang)}</span>
                  <span class="visually-hidden">: </span>
                  <span class="count">{count === 1 ? b.freeTimesOne : fill(b.freeTimes, { count })}</span>
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      {(view.earlier ?? view.later) && (
        <nav class="pager" aria-label={b.stepDay}>
          {view.earlier && (
            <a href={stepHref(flow, { ...choices, from: view.earlier }, 'day')} rel="prev">
              {b.earlier}
            </a>
          )}
          {view.later && (
            <a href={stepHref(flow, { ...choices, from: view.later }, 'day')} rel="next">
              {b.later}
            </a>
          )}
        </nav>
      )}
    </>
  );
}

/** The free times of the chosen day as radio buttons; the form goes on to `next`. */
export function SlotForm({
  b,
  lang,
  flow,
  choices,
  slots,
  next,
}: {
  b: BookingMessages;
  lang: SiteContext['lang'];
  flow: Flow;
  choices: Choices & { day: string };
  slots: Slot[];
  next: StepName;
}) {
  const { start, ...rest } = choices;
  const selected = slots.some((s) => s.start_utc === start) ? start : slots[0]?.start_utc;
  return (
    <form method="get" action={flow.path} class="slots-form">
      <Hidden fields={[...hiddenChoices(flow, rest), ['step', next]]} />
      <RadioGroup
        name="start"
        class="slots"
        legend={fill(b.timeLegend, { day: dayLabel(choices.day, lang) })}
        value={selected}
        choices={slots.map((slot) => ({
          value: slot.start_utc,
          label: `${timeOf(slot.start_local)}–${timeOf(slot.end_local)}`,
        }))}
      />
      <p class="hint">{fill(b.timesIn, { zone: zoneLabel(choices.tz ?? '') })}</p>
      <button type="submit">{b.continue}</button>
    </form>
  );
}

function DetailsForm({
  ctx,
  b,
  flow,
  choices,
  view,
}: {
  ctx: SiteContext;
  b: BookingMessages;
  flow: Flow;
  choices: Choices;
  view: Extract<StepView, { step: 'details' }>;
}) {
  const { lang } = ctx;
  const { values, errors } = view;
  return (
    <form method="post" action={flow.path} noValidate class="details-form">
      <CsrfField token={view.csrf} />
      <Hidden
        fields={[
          ['duration', String(choices.duration)],
          ['tz', choices.tz ?? ''],
          ['day', choices.day ?? ''],
          ['start', view.slot.start_utc],
        ]}
      />
      <RadioGroup
        name="meeting_type"
        legend={b.meetingLegend}
        value={values.meeting_type}
        error={errors.get('meeting_type')}
        choices={MEETING_TYPES.map((type) => ({
          value: type,
          label: b.meetingTypes[type],
          note: b.meetingNotes[type],
        }))}
      />
      <div class="pair">
        <TextField
          lang={lang}
          name="first_name"
          label={b.firstName}
          value={values.first_name}
          error={errors.get('first_name')}
          maxLength={LIMITS.name}
          autoComplete="given-name"
        />
        <TextField
          lang={lang}
          name="last_name"
          label={b.lastName}
          value={values.last_name}
          error={errors.get('last_name')}
          maxLength={LIMITS.name}
          autoComplete="family-name"
        />
      </div>
      <TextField
        lang={lang}
        name="email"
        type="email"
        label={b.email}
        hint={b.emailHint}
        value={values.email}
        error={errors.get('email')}
        maxLength={LIMITS.email}
        autoComplete="email"
      />
      <div class="pair">
        <TextField
          lang={lang}
          name="phone"
          type="tel"
          label={b.phone}
          optional
          value={values.phone}
          error={errors.get('phone')}
          maxLength={LIMITS.phone}
          autoComplete="tel"
        />
        <TextField
          lang={lang}
          name="company"
          label={b.company}
          optional
          value={values.company}
          error={errors.get('company')}
          maxLength={LIMITS.company}
          autoComplete="organization"
        />
      </div>
      <TextField
        lang={lang}
        name="message"
        label={b.message}
        optional
        rows={5}
        value={values.message}
        error={errors.get('message')}
        maxLength={LIMITS.message}
      />
      <section class="privacy" aria-labelledby="privacy-title">
        <h3 id="privacy-title">{b.privacyTitle}</h3>
        <p>{fill(b.privacyText, { contact: ctx.contactEmail })}</p>
        <Checkbox name="consent" label={b.consent} checked={values.consent} error={errors.get('consent')} />
      </section>
      <Honeypot lang={lang} />
      <button type="submit">{b.submit}</button>
    </form>
  );
}

/** The frame of a step: breadcrumbs, the heading, the steps, the error summary slot and what was chosen. */
export function StepFrame({
  ctx,
  title,
  twin,
  crumbs,
  index,
  children,
}: {
  ctx: SiteContext;
  title: string;
  twin?: string | undefined;
  crumbs: { label: string; href: string }[];
  /**
   * A page search engines may index (the booking steps): its description and the address every step names as
   * canonical (the first step, without choices). Without it the page is noindex (a client's own pages).
   */
  index?: { path: string; description: string } | undefined;
  children: ComponentChildren;
}) {
  return (
    <Document
      ctx={ctx}
      twin={twin ?? '/'}
      head={index ? { title, description: index.description, path: index.path } : { title, noindex: true }}
    >
      <nav class="crumbs" aria-label={ctx.t.breadcrumbs}>
        <ol>
          <li>
            <a href={localPath(ctx.lang, '/')}>{ctx.t.home}</a>
          </li>
          {crumbs.map((crumb) => (
            <li key={crumb.href}>
              <a href={crumb.href}>{crumb.label}</a>
            </li>
          ))}
          <li aria-current="page">{title}</li>
        </ol>
      </nav>
      <h1>{title}</h1>
      {children}
    </Document>
  );
}

/** /{lang}/consultants/{id}/book: one step of booking, its choices in the query. */
export function BookingStepPage({
  ctx,
  consultant,
  flow,
  choices,
  view,
  twin,
}: {
  ctx: SiteContext;
  consultant: PublicConsultant;
  flow: Flow;
  choices: Choices;
  view: StepView;
  twin: string;
}) {
  const { lang } = ctx;
  const b = BOOKING_MESSAGES[lang];
  const name = fullName(consultant);
  const title = fill(b.bookWith, { name });
  const at = STEPS.indexOf(view.step) + 1;
  const tz = choices.tz ?? '';
  return (
    <StepFrame
      ctx={ctx}
      title={title}
      twin={twin}
      index={
        flow.keep['token'] === undefined
          ? { path: `/consultants/${consultant.id}/book`, description: fill(b.bookDescription, { name }) }
          : undefined
      }
      crumbs={[
        { label: b.consultantsTitle, href: localPath(lang, '/consultants') },
        { label: name, href: localPath(lang, `/consultants/${consultant.id}`) },
      ]}
    >
      <Progress b={b} flow={flow} choices={choices} current={view.step} />
      {view.step === 'details' && <ErrorSummary lang={lang} errors={view.errors} general={view.general} />}
      <h2 class="step-title">
        <span class="step-of">{fill(b.stepOf, { step: at })}: </span>
        {view.step === 'duration'
          ? b.stepDuration
          : view.step === 'day'
            ? b.dayTitle
            : view.step === 'time'
              ? b.timeTitle
              : b.detailsTitle}
      </h2>
      {view.step === 'duration' && (
        <form method="get" action={flow.path} class="duration-form">
          <Hidden fields={[['step', 'day']]} />
          <RadioGroup
            name="duration"
            legend={b.durationLegend}
            value={String(choices.duration ?? 60)}
            choices={view.durations.map((n) => ({ value: String(n), label: fill(b.minutes, { n }) }))}
          />
          <div class="field">
            <label for={fieldId('tz')}>{b.timeZone}</label>
            <p class="hint" id={`${fieldId('tz')}-hint`}>
              {b.timeZoneHint}
            </p>
            <ZoneSelect
              tz={choices.tz ?? 'Europe/Berlin'}
              chosen={choices.tz !== undefined}
              hint={b.timeZoneHint}
            />
          </div>
          <button type="submit">{b.continue}</button>
        </form>
      )}
      {view.step !== 'duration' && (
        <Summary
          b={b}
          lang={lang}
          flow={flow}
          choices={choices}
          consultant={name}
          slot={view.step === 'details' ? view.slot : undefined}
          upTo={view.step}
        />
      )}
      {view.step === 'day' && (
        <>
          <p>
            {fill(b.timesIn, { zone: zoneLabel(tz) })}{' '}
            <a href={stepHref(flow, { duration: choices.duration, tz }, 'duration')} class="change">
              {b.changeZone}
            </a>
          </p>
          <DayList b={b} lang={lang} flow={flow} choices={choices} view={view} />
        </>
      )}
      {view.step === 'time' && (
        <>
          {view.message && (
            <p class="notice warning" role="alert">
              {view.message}
            </p>
          )}
          <ZoneForm b={b} flow={flow} choices={{ ...choices, tz }} step="time" />
          {view.slots.length === 0 ? (
            <p class="notice">{b.noTimes}</p>
          ) : (
            <SlotForm
              b={b}
              lang={lang}
              flow={flow}
              choices={{ ...choices, day: choices.day ?? '' }}
              slots={view.slots}
              next="details"
            />
          )}
          <p>
            <a href={stepHref(flow, choices, 'day')}>{b.otherDay}</a>
          </p>
        </>
      )}
      {view.step === 'details' && <DetailsForm ctx={ctx} b={b} flow={flow} choices={choices} view={view} />}
    </StepFrame>
  );
}

export { whenLabel };
