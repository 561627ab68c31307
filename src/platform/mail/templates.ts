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

/** One row of a mail's details table. */
export interface Detail {
  label: string;
  value: string;
  link?: boolean;
}

/** A mail in the product's one layout: greeting, intro, a table of details, an action link, closing lines. */
export interface Layout {
  subject: string;
  greeting: string;
  intro: string;
  details: Detail[];
  action?: { label: string; url: string };
  outro: string[];
  signature: string;
}

/** A layout as plain text and as HTML (every value escaped; a detail marked `link` becomes one). */
export function renderLayout(layout: Layout, locale: Locale): RenderedMail {
  const width = Math.max(...layout.details.map((d) => d.label.length));
  const text = [
    layout.greeting,
    layout.intro,
    // Values under their label's column, continuation lines of a message too.
    layout.details
      .map(
        (d) => `${`${d.label}:`.padEnd(width + 2)}${d.value.replace(/\r?\n/g, `\n${' '.repeat(width + 2)}`)}`,
      )
      .join('\n'),
    ...(layout.action ? [`${layout.action.label}:\n${layout.action.url}`] : []),
    ...layout.outro,
    layout.signature,
  ].join('\n\n');
  const para = (p: string) => `<p>${escapeHtml(p).replaceAll('\n', '<br>')}</p>`;
  const rows = layout.details
    .map((d) => {
      const value = d.link
        ? `<a href="${escapeHtml(d.value)}">${escapeHtml(d.value)}</a>`
        : escapeHtml(d.value).replaceAll('\n', '<br>');
      return `<tr><th align="left" valign="top">${escapeHtml(d.label)}</th><td>${value}</td></tr>`;
    })
    .join('');
  const action = layout.action
    ? `<p><a href="${escapeHtml(layout.action.url)}">${escapeHtml(layout.action.label)}</a></p>`
    : '';
  const html =
    `<!doctype html><html lang="${locale}"><body>${para(layout.greeting)}${para(layout.intro)}` +
    `<table cellpadding="4">${rows}</table>${action}${layout.outro.map(para).join('')}` +
    `${para(layout.signature)}</body></html>`;
  return { subject: layout.subject, text, html };
}
