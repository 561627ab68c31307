import { defineErrors } from '../../platform/http/errors.ts';

/** The error codes of the bookings module: HTTP status once, and what each tells a person in English and German. */
export const bookingError = defineErrors({
  'bookings.privacy_consent_required': {
    status: 422,
    en: 'Please accept the privacy policy to book an appointment.',
    de: 'Bitte stimmen Sie der Datenschutzerklärung zu, um einen Termin zu buchen.',
  },
  'bookings.consultant_not_found': {
    status: 404,
    en: 'There is no such consultant.',
    de: 'Diesen Berater gibt es nicht.',
  },
  'bookings.slot_unavailable': {
    status: 409,
    en: 'This time cannot be booked; please choose one of the times offered.',
    de: 'Dieser Termin kann nicht gebucht werden; bitte wählen Sie eine der angebotenen Zeiten.',
  },
  'bookings.slot_taken': {
    status: 409,
    en: 'Sorry, this time has just been booked by someone else. Please choose another time.',
    de: 'Dieser Termin wurde leider gerade anderweitig gebucht. Bitte wählen Sie eine andere Zeit.',
  },
  'bookings.idempotency_key_reused': {
    status: 422,
    en: 'This Idempotency-Key was already used for a different booking request.',
    de: 'Dieser Idempotency-Key wurde bereits für eine andere Buchungsanfrage verwendet.',
  },
  'bookings.invalid_link': {
    status: 404,
    en: 'This link is not valid. Please use the link from your confirmation e-mail.',
    de: 'Dieser Link ist ungültig. Bitte verwenden Sie den Link aus Ihrer Bestätigungs-E-Mail.',
  },
  'bookings.not_found': {
    status: 404,
    en: 'There is no such booking.',
    de: 'Diese Buchung gibt es nicht.',
  },
  'bookings.not_confirmed': {
    status: 409,
    en: 'This booking is no longer confirmed (it was cancelled or has taken place) and can no longer be changed.',
    de: 'Diese Buchung ist nicht mehr bestätigt (sie wurde storniert oder hat stattgefunden) und kann nicht mehr geändert werden.',
  },
  'bookings.already_over': {
    status: 409,
    en: 'This appointment is already over.',
    de: 'Dieser Termin ist bereits vorbei.',
  },
  'bookings.cutoff_passed': {
    status: 409,
    en: 'This appointment can no longer be changed online (possible until {deadline}). Please contact us directly.',
    de: 'Dieser Termin kann online nicht mehr geändert werden (möglich bis {deadline}). Bitte kontaktieren Sie uns direkt.',
  },
  'bookings.same_time': {
    status: 409,
    en: 'The booking is already at this time.',
    de: 'Die Buchung liegt bereits zu dieser Zeit.',
  },
  'bookings.not_ended': {
    status: 409,
    en: 'The meeting has not ended yet (it ends at {end}); its outcome can be recorded afterwards.',
    de: 'Der Termin ist noch nicht vorbei (Ende {end}); sein Ergebnis kann danach erfasst werden.',
  },
  'bookings.feedback_not_open': {
    status: 409,
    en: 'Feedback can be given once the meeting has taken place.',
    de: 'Eine Bewertung ist möglich, sobald der Termin stattgefunden hat.',
  },
  'bookings.feedback_given': {
    status: 409,
    en: 'Feedback for this meeting has already been given. Thank you!',
    de: 'Für diesen Termin wurde bereits eine Bewertung abgegeben. Vielen Dank!',
  },
});
