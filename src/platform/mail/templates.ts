import { format, type Locale } from '../i18n/index.ts';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

interface Template {
  subject: string;
  /** Paragraphs; `{link}` is rendered as a link in HTML. */
  paragraphs: string[];
  action: string;
}

const templates = {
  password_reset: {
    en: {
      subject: 'Reset your voltAIc Systems password',
      paragraphs: [
        'Hello {name},',
        'someone (hopefully you) asked to reset the password of your voltAIc Systems account. The link below works once and for one hour:',
        'If you did not ask for this, ignore this e-mail; your password stays as it is.',
      ],
      action: 'Choose a new password',
    },
    de: {
      subject: 'Ihr Passwort bei voltAIc Systems zurücksetzen',
      paragraphs: [
        'Hallo {name},',
        'jemand (hoffentlich Sie) hat verlangt, das Passwort Ihres Kontos bei voltAIc Systems zurückzusetzen. Der folgende Link funktioniert einmal und eine Stunde lang:',
        'Falls Sie das nicht angefordert haben, ignorieren Sie diese E-Mail; Ihr Passwort bleibt unverändert.',
      ],
      action: 'Neues Passwort wählen',
    },
  },
  invitation: {
    en: {
      subject: 'Your voltAIc Systems account',
      paragraphs: [
        'Hello {name},',
        '{inviter} created an account for you in the voltAIc Systems back office. Choose your password with the link below; it works once and for {hours} hours:',
        'If you did not expect this, ignore this e-mail.',
      ],
      action: 'Choose your password',
    },
    de: {
      subject: 'Ihr Konto bei voltAIc Systems',
      paragraphs: [
        'Hallo {name},',
        '{inviter} hat Ihnen ein Konto im Backoffice von voltAIc Systems angelegt. Wählen Sie Ihr Passwort über den folgenden Link; er funktioniert einmal und {hours} Stunden lang:',
        'Falls Sie das nicht erwartet haben, ignorieren Sie diese E-Mail.',
      ],
      action: 'Passwort wählen',
    },
  },
} satisfies Record<string, Record<Locale, Template>>;

export type TemplateName = keyof typeof templates;

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A mail with a call-to-action link, as plain text and as HTML, in one language. */
export function renderMail(
  name: TemplateName,
  locale: Locale,
  params: Record<string, string | number>,
  link: string,
): RenderedMail {
  const template: Template = templates[name][locale];
  const paragraphs = template.paragraphs.map((p) => format(p, params));
  const [first, ...rest] = paragraphs;
  const text = [first, ...rest.slice(0, -1), `${template.action}: ${link}`, rest.at(-1)].join('\n\n');
  const escapedParams = Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, escapeHtml(String(v))]),
  );
  const htmlParagraphs = template.paragraphs.map((p) => `<p>${format(escapeHtml(p), escapedParams)}</p>`);
  const button = `<p><a href="${escapeHtml(link)}">${escapeHtml(template.action)}</a></p>`;
  htmlParagraphs.splice(htmlParagraphs.length - 1, 0, button);
  const html = `<!doctype html><html lang="${locale}"><body>${htmlParagraphs.join('')}</body></html>`;
  return { subject: format(template.subject, params), text, html };
}
