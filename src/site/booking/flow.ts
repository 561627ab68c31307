/**
 * The steps of choosing a time, each a GET with the choices so far in its query: bookmarkable, the back button
 * works, and every "change" link keeps what was chosen. Booking walks duration → day → time → details; moving
 * a booking walks day → time → confirm with its duration fixed and its token kept.
 */

export type StepName = 'duration' | 'day' | 'time' | 'details';

export interface Choices {
  duration?: number | undefined;
  /** Chosen by the visitor (or the script): the steps after the first need it. */
  tz?: string | undefined;
  /** The first day of the list of days shown. */
  from?: string | undefined;
  day?: string | undefined;
  /** The slot's start in UTC (start_utc). */
  start?: string | undefined;
}

/** Where the steps live and what every step keeps (a move's token). */
export interface Flow {
  /** The path of the steps in the page's language: /en/consultants/<id>/book. */
  path: string;
  keep: Record<string, string>;
}

/** A step's URL: the flow's path with the choices (and the step asked for) in its query, in a fixed order. */
export function stepHref(
  flow: Flow,
  choices: Choices,
  step?: StepName,
  extra: Record<string, string> = {},
): string {
  const query = new URLSearchParams(flow.keep);
  if (step) query.set('step', step);
  if (choices.duration !== undefined) query.set('duration', String(choices.duration));
  if (choices.tz) query.set('tz', choices.tz);
  if (choices.from) query.set('from', choices.from);
  if (choices.day) query.set('day', choices.day);
  if (choices.start) query.set('start', choices.start);
  for (const [name, value] of Object.entries(extra)) query.set(name, value);
  const text = query.toString();
  return text ? `${flow.path}?${text}` : flow.path;
}

/** The hidden fields of a GET form that carries `choices` on to the next step. */
export function hiddenChoices(flow: Flow, choices: Choices): [string, string][] {
  return [...new URLSearchParams(stepHref(flow, choices).split('?')[1] ?? '')];
}
