import { defineErrors } from '../../platform/http/errors.ts';

/** The error codes of the availability module: HTTP status once, and what each tells a person in English and German. */
export const availabilityError = defineErrors({
  'availability.invalid_timezone': {
    status: 400,
    en: '"{tz}" is not a known time zone (an IANA name such as Europe/Berlin).',
    de: '„{tz}“ ist keine bekannte Zeitzone (ein IANA-Name wie Europe/Berlin).',
  },
  'availability.invalid_range': {
    status: 400,
    en: 'from and to must be dates (YYYY-MM-DD), with to not before from.',
    de: 'from und to müssen Daten sein (JJJJ-MM-TT), to nicht vor from.',
  },
  'availability.range_too_long': {
    status: 400,
    en: 'At most {max} days can be asked for at once ({days} were asked for).',
    de: 'Höchstens {max} Tage können auf einmal abgefragt werden (angefragt: {days}).',
  },
  'availability.consultant_not_found': {
    status: 404,
    en: 'There is no such consultant.',
    de: 'Diesen Berater gibt es nicht.',
  },
  'availability.not_accepting': {
    status: 409,
    en: 'This consultant does not take bookings at the moment.',
    de: 'Dieser Berater nimmt derzeit keine Buchungen an.',
  },
  'availability.calendar_unavailable': {
    status: 503,
    en: "The consultant's calendar can't be read right now; no times are offered. Please try again later.",
    de: 'Der Kalender des Beraters kann gerade nicht gelesen werden; es werden keine Zeiten angeboten. Bitte später erneut versuchen.',
  },
});
