// The panel's one way to the API: same-origin requests carrying the session cookies, the CSRF header on every
// change, the user's language (the API answers its error messages in it), and one transparent refresh of an
// expired session before a request is given up. No token is ever readable by JavaScript: the access and
// refresh tokens live in HttpOnly cookies; only the CSRF token (useless without them) is readable.
import type { ErrorResponse } from './types.ts';

export const API = '/api/v1';
const CSRF_COOKIE = 'mq_csrf';
const CSRF_HEADER = 'x-csrf-token';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** A 401 with these codes means the access cookie ran out: the refresh cookie may still get a new one. */
const REFRESHABLE = new Set(['auth.required', 'auth.token_expired']);

/** An answer of the API that is not 2xx, in the API's error shape (its message is in the user's language). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorResponse['error']['details'] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let language = 'en';
/** The language of the API's messages from now on (the panel's current locale). */
export function setApiLanguage(locale: string): void {
  language = locale;
}

function csrfToken(): string | undefined {
  const entry = document.cookie.split('; ').find((part) => part.startsWith(`${CSRF_COOKIE}=`));
  return entry ? decodeURIComponent(entry.slice(CSRF_COOKIE.length + 1)) : undefined;
}

/** The headers every request carries (also used by uploads, which go through XMLHttpRequest for progress). */
export function commonHeaders(method: string): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language };
  const csrf = UNSAFE.has(method) ? csrfToken() : undefined;
  if (csrf) headers[CSRF_HEADER] = csrf;
  return headers;
}

export type Query = Record<string, string | number | boolean | null | undefined | readonly string[]>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const item of value as readonly string[]) params.append(key, item);
    else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

/** Reads an error answer; a body that is not ours (a proxy's page, a dropped connection) still gets a message. */
export async function toApiError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as ErrorResponse;
    return new ApiError(response.status, body.error.code, body.error.message, body.error.details);
  } catch {
    return new ApiError(
      response.status,
      `http.${response.status}`,
      response.statusText || `HTTP ${response.status}`,
    );
  }
}

let refreshing: Promise<boolean> | null = null;
/**
 * Exchanges the refresh cookie for new session cookies; concurrent callers share one exchange (the API also
 * answers a second exchange within its grace period, for a second tab).
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= fetch(`${API}/auth/refresh`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: commonHeaders('POST'),
  })
    .then((response) => response.ok)
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

export interface RequestOptions {
  query?: Query;
  /** A JSON body. */
  body?: unknown;
  signal?: AbortSignal;
  /** 'text': the answer's text as it is (an HTML preview), instead of parsed JSON. */
  as?: 'json' | 'text';
}

/**
 * One API call. Answers the parsed JSON (undefined for 204); throws ApiError for any other answer, after one
 * refresh-and-retry when the access cookie had run out.
 */
export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const send = () =>
    fetch(withQuery(`${API}${path}`, options.query), {
      method,
      credentials: 'same-origin',
      headers: {
        ...commonHeaders(method),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  let response = await send();
  if (response.status === 401 && !path.startsWith('/auth/login')) {
    const error = await toApiError(response.clone());
    if (REFRESHABLE.has(error.code) && (await refreshSession())) response = await send();
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  if (options.as === 'text') return (await response.text()) as T;
  return (await response.json()) as T;
}
