import { DEFAULT_LOCALE, format, type Locale } from '../i18n/index.ts';

export interface ErrorDetail {
  field?: string;
  code: string;
  message: string;
}

/** An error code's HTTP status and what it tells a person, in every language the product speaks. */
export interface ErrorSpec {
  readonly status: number;
  readonly en: string;
  readonly de: string;
}

/**
 * An error the client can act on: a stable code, an HTTP status, parameters for the message and optional
 * details (e.g. one per invalid field). Its message is English, for logs; responses translate the code.
 * Made by the function a module's `errors.ts` gets from `defineErrors`, never by hand.
 */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: string,
    private readonly spec: ErrorSpec,
    readonly params: Record<string, unknown> = {},
    readonly details: ErrorDetail[] = [],
  ) {
    super(format(spec[DEFAULT_LOCALE], params));
    this.name = 'AppError';
    this.status = spec.status;
  }

  messageIn(locale: Locale): string {
    return format(this.spec[locale], this.params);
  }
}

/** Makes the errors of one catalogue: `pageError('pages.slug_taken', { slug })`. */
export type ErrorMaker<Code extends string> = (
  code: Code,
  params?: Record<string, unknown>,
  details?: ErrorDetail[],
) => AppError;

const catalogue = new Map<string, ErrorSpec>();

/**
 * A module's error codes, each with its HTTP status and its English and German text, declared once in the
 * module's `errors.ts`. A code declared twice stops the process at import, so codes stay unique.
 */
export function defineErrors<const Specs extends Record<string, ErrorSpec>>(
  specs: Specs,
): ErrorMaker<keyof Specs & string> {
  for (const [code, spec] of Object.entries(specs)) {
    if (catalogue.has(code)) throw new Error(`error code ${code} is declared twice`);
    catalogue.set(code, spec);
  }
  return (code, params = {}, details = []) => new AppError(code, specs[code] as ErrorSpec, params, details);
}

/** Every error code declared so far, with its spec (for tests of the catalogue). */
export function declaredErrors(): ReadonlyMap<string, ErrorSpec> {
  return catalogue;
}

/** Guard clauses in one line: `assertThat(page, () => pageError('pages.not_found'))`. */
export function assertThat(condition: unknown, error: AppError | (() => AppError)): asserts condition {
  if (!condition) throw typeof error === 'function' ? error() : error;
}

/** The codes of the platform itself: the HTTP layer, the database, start-up. */
export const platformError = defineErrors({
  'validation.failed': {
    status: 400,
    en: 'The request is not valid: {summary}',
    de: 'Die Anfrage ist ungültig: {summary}',
  },
  // Neither message repeats what was sent: the details name the part (url, query, body) that could not be read.
  'request.malformed': {
    status: 400,
    en: 'The request could not be read: its address or body is not well-formed.',
    de: 'Die Anfrage konnte nicht gelesen werden: Adresse oder Inhalt sind nicht wohlgeformt.',
  },
  'request.uri_too_long': {
    status: 414,
    en: 'The address of the request is too long.',
    de: 'Die Adresse der Anfrage ist zu lang.',
  },
  'request.too_large': {
    status: 413,
    en: 'The request body is too large.',
    de: 'Der Inhalt der Anfrage ist zu groß.',
  },
  'request.unsupported_media_type': {
    status: 415,
    en: 'This content type is not supported.',
    de: 'Dieser Inhaltstyp wird nicht unterstützt.',
  },
  not_found: {
    status: 404,
    en: 'There is nothing at this address.',
    de: 'Unter dieser Adresse gibt es nichts.',
  },
  'method.not_allowed': {
    status: 405,
    en: 'This method is not allowed here.',
    de: 'Diese Methode ist hier nicht erlaubt.',
  },
  'rate.limited': {
    status: 429,
    en: 'Too many requests; try again later.',
    de: 'Zu viele Anfragen; bitte später erneut versuchen.',
  },
  'conflict.stale_version': {
    status: 409,
    en: 'Someone else changed this in the meantime; reload it and apply your change again.',
    de: 'Jemand anderes hat dies inzwischen geändert; bitte neu laden und die Änderung erneut vornehmen.',
  },
  'conflict.duplicate': {
    status: 409,
    en: 'This conflicts with an existing record.',
    de: 'Dies kollidiert mit einem bestehenden Eintrag.',
  },
  'database.unavailable': {
    status: 503,
    en: 'The database is not reachable.',
    de: 'Die Datenbank ist nicht erreichbar.',
  },
  'server.unavailable': {
    status: 503,
    en: 'The server is shutting down or overloaded; try again shortly.',
    de: 'Der Server fährt herunter oder ist überlastet; bitte gleich erneut versuchen.',
  },
  internal: {
    status: 500,
    en: 'Something went wrong on our side. The request id helps us find it: {requestId}',
    de: 'Bei uns ist etwas schiefgegangen. Die Anfrage-ID hilft uns bei der Suche: {requestId}',
  },
  'setup.admin_email_taken': {
    status: 500,
    en: 'There is no active super admin, and {email} (ADMIN_EMAIL) belongs to another user. Set ADMIN_EMAIL to a free address, or run "magnetiq create-admin".',
    de: 'Es gibt keinen aktiven Super-Admin, und {email} (ADMIN_EMAIL) gehört einem anderen Benutzer. Setzen Sie ADMIN_EMAIL auf eine freie Adresse oder führen Sie "magnetiq create-admin" aus.',
  },
  'migrations.changed': {
    status: 500,
    en: 'Migration {version} ({name}) was changed after it was applied. Restore the file and put the change in a new migration.',
    de: 'Migration {version} ({name}) wurde nach dem Einspielen geändert. Stellen Sie die Datei wieder her und legen Sie die Änderung in eine neue Migration.',
  },
  'migrations.missing': {
    status: 500,
    en: 'Migration {version} ({name}) was applied to this database but its file is missing.',
    de: 'Migration {version} ({name}) wurde in diese Datenbank eingespielt, aber ihre Datei fehlt.',
  },
});

/** 409 for an update that sent an old `version`: says which version is current, so the client can reload. */
export function staleVersion(current: number): AppError {
  return platformError('conflict.stale_version', { current }, [
    { field: 'version', code: 'stale', message: `the current version is ${String(current)}` },
  ]);
}

export interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetail[] };
}
