import { format, type Locale } from '../../platform/i18n/index.ts';

/** The texts every form of the site shares, in English; German below has the same keys. */
const en = {
  errorSummaryTitle: 'There is a problem',
  errorSummaryIntro: 'Please check the following and send the form again:',
  required: '{label}: please fill this in.',
  tooLong: '{label}: please use at most {max} characters (now {length}).',
  email: '{label}: please enter an e-mail address such as name@example.com.',
  choose: '{label}: please choose one.',
  optional: 'optional',
  csrf:
    'For your security, this form could not be verified (it may have been open for a long time, or cookies ' +
    'are blocked). Please check your entries and send it again.',
  honeypotLabel: 'Leave this field empty',
  tooManyTitle: 'Too many attempts',
  tooManyText:
    'You have sent this form too often in a short time. Please wait a minute, then go back and send it again.',
  goBack: 'Back to the home page',
  badFormTitle: 'This form could not be read',
  badFormText: 'What was sent is not a form of this site, or it is too long. Please go back and try again.',
};

export type FormMessages = typeof en;

const de: FormMessages = {
  errorSummaryTitle: 'Es gibt ein Problem',
  errorSummaryIntro: 'Bitte prüfen Sie Folgendes und senden Sie das Formular erneut:',
  required: '{label}: Bitte ausfüllen.',
  tooLong: '{label}: Bitte höchstens {max} Zeichen verwenden (jetzt {length}).',
  email: '{label}: Bitte eine E-Mail-Adresse wie name@example.com eingeben.',
  choose: '{label}: Bitte eine Möglichkeit wählen.',
  optional: 'optional',
  csrf:
    'Zu Ihrer Sicherheit konnte dieses Formular nicht bestätigt werden (es war vielleicht lange geöffnet, ' +
    'oder Cookies sind blockiert). Bitte prüfen Sie Ihre Angaben und senden Sie es erneut.',
  honeypotLabel: 'Dieses Feld bitte leer lassen',
  tooManyTitle: 'Zu viele Versuche',
  tooManyText:
    'Sie haben dieses Formular in kurzer Zeit zu oft gesendet. Bitte warten Sie eine Minute, gehen Sie dann ' +
    'zurück und senden Sie es erneut.',
  goBack: 'Zur Startseite',
  badFormTitle: 'Dieses Formular konnte nicht gelesen werden',
  badFormText:
    'Das Gesendete ist kein Formular dieser Website oder es ist zu lang. Bitte gehen Sie zurück und versuchen Sie es erneut.',
};

export const FORM_MESSAGES: Record<Locale, FormMessages> = { en, de };

/** A form text with its {placeholders} filled. */
export function formText(
  lang: Locale,
  key: keyof FormMessages,
  params: Record<string, string | number> = {},
): string {
  return format(FORM_MESSAGES[lang][key], params);
}
