import { DEFAULT_LOCALE, format, type Locale } from '../i18n/index.ts';
import { errorMessages, type ErrorCode } from './error-messages.ts';

export interface ErrorDetail {
  field?: string;
  code: string;
  message: string;
}

/**
 * An error the client can act on: a stable code, an HTTP status, parameters for the message and optional
 * details (e.g. one per invalid field). Its message is English, for logs; responses translate the code.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    readonly params: Record<string, unknown> = {},
    readonly details: ErrorDetail[] = [],
  ) {
    super(format(errorMessages[code][DEFAULT_LOCALE], params));
    this.name = 'AppError';
  }

  messageIn(locale: Locale): string {
    return format(errorMessages[this.code][locale], this.params);
  }
}

/** 409 for an update that sent an old `version`: says which version is current, so the client can reload. */
export function staleVersion(current: number): AppError {
  return new AppError('conflict.stale_version', 409, { current }, [
    { field: 'version', code: 'stale', message: `the current version is ${String(current)}` },
  ]);
}

export interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetail[] };
}
