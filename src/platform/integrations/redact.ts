/**
 * What the integration log may store of a request or answer: everything except secrets. Three nets, because a
 * secret can hide in three ways: under a telling key ({"password": ...}), as a known value at an anonymous
 * place (Odoo's JSON-RPC passes the password as the third positional argument), or by its shape (a bearer
 * token in a message, a JWT, a PEM private key).
 */

export const REDACTED = '[redacted]';

/** Keys whose values are secrets, whatever the integration (compared lower-case, - and _ ignored). */
const SECRET_KEY_PARTS = [
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'privatekey',
  'authorization',
  'assertion',
  'credential',
  'cookie',
  'signature',
];
const SECRET_KEYS_EXACT = new Set(['key', 'pass', 'pwd']);
/** Names that contain a telling part but carry no secret. */
const NOT_SECRET = new Set(['tokentype', 'tokenuri']);

export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_\s]/g, '');
  if (NOT_SECRET.has(k)) return false;
  return SECRET_KEYS_EXACT.has(k) || SECRET_KEY_PARTS.some((part) => k.includes(part));
}

const SHAPES: [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED],
  [/\beyJ[\w-]*\.[\w-]+\.[\w-]*/g, REDACTED],
  [/\b(bearer|basic)\s+[\w.~+/=-]+/gi, `$1 ${REDACTED}`],
];

/** Removes the known secret values and anything shaped like a credential (URLs' too) from a string. */
export function redactString(text: string, secrets: readonly string[] = []): string {
  return scrub(
    text.replace(/\bhttps?:\/\/[^\s"'<>]+/g, (url) => urlWithoutSecrets(url)),
    secrets,
  );
}

function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // Short values would blank out ordinary words; configuration refuses such secrets anyway.
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of SHAPES) out = out.replace(pattern, replacement);
  return out;
}

/** A deep copy of `value` with secret keys' values replaced and secret values scrubbed from every string. */
export function redact(value: unknown, secrets: readonly string[] = []): unknown {
  if (typeof value === 'string') return redactString(value, secrets);
  if (Array.isArray(value)) return value.map((item) => redact(item, secrets));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [
        key,
        isSecretKey(key) && item !== null && item !== undefined && item !== ''
          ? REDACTED
          : redact(item, secrets),
      ]),
    );
  }
  return value;
}

/** A URL without user info, with secret query parameters' values replaced. */
export function redactUrl(url: string, secrets: readonly string[] = []): string {
  return scrub(urlWithoutSecrets(url), secrets);
}

function urlWithoutSecrets(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username || parsed.password) {
    parsed.username = '';
    parsed.password = '';
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (isSecretKey(key)) parsed.searchParams.set(key, 'REDACTED');
  }
  return parsed.toString().replaceAll('=REDACTED', `=${REDACTED}`);
}

/** Header names whose values are credentials, whatever their name says otherwise. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);

export function redactHeaders(
  headers: Record<string, string>,
  secrets: readonly string[] = [],
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name.toLowerCase(),
      SECRET_HEADERS.has(name.toLowerCase()) || isSecretKey(name) ? REDACTED : redactString(value, secrets),
    ]),
  );
}

const MAX_STORED_CHARS = 32_000;

/** Keeps very large bodies out of the log: a truncated preview instead. */
export function bounded(value: unknown): unknown {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  if (text.length <= MAX_STORED_CHARS) return value;
  return { truncated: true, size: text.length, preview: text.slice(0, 4_000) };
}
