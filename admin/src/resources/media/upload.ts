// One upload to the media library through XMLHttpRequest (fetch reports no upload progress): the session
// cookies (same origin), the CSRF and language headers of every request, one refresh of an expired session, and
// the API's answer: the new item, the existing one for the same bytes (duplicate), or the API's error.
import { API, ApiError, commonHeaders, refreshSession } from '../../api/http.ts';
import type { Answer, ErrorResponse } from '../../api/types.ts';

export type UploadedItem = Answer<'uploadMedia', 201>;

export interface UploadHandle {
  done: Promise<UploadedItem>;
  abort: () => void;
}

const REFRESHABLE = new Set(['auth.required', 'auth.token_expired']);

function errorOf(xhr: XMLHttpRequest): ApiError {
  try {
    const body = JSON.parse(xhr.responseText) as ErrorResponse;
    return new ApiError(xhr.status, body.error.code, body.error.message, body.error.details);
  } catch {
    return new ApiError(xhr.status, `http.${xhr.status}`, xhr.statusText || `HTTP ${xhr.status}`);
  }
}

function send(
  file: File,
  fields: Record<string, string>,
  onProgress: (fraction: number) => void,
  signal: { xhr?: XMLHttpRequest; aborted: boolean },
): Promise<{ item?: UploadedItem; error?: ApiError; network?: boolean }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    signal.xhr = xhr;
    // Same origin: the session cookies go along (credentials "same-origin", XMLHttpRequest's default).
    xhr.open('POST', `${API}/media`);
    for (const [name, value] of Object.entries(commonHeaders('POST'))) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status === 200 || xhr.status === 201) {
        try {
          resolve({ item: JSON.parse(xhr.responseText) as UploadedItem });
        } catch {
          resolve({ error: errorOf(xhr) });
        }
      } else {
        resolve({ error: errorOf(xhr) });
      }
    };
    xhr.onerror = () => {
      resolve({ network: true });
    };
    xhr.onabort = () => {
      resolve({ network: true });
    };
    const body = new FormData();
    // Text fields first: the server reads the parts in order.
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    body.append('file', file, file.name);
    if (signal.aborted) xhr.abort();
    else xhr.send(body);
  });
}

/**
 * Uploads `file` (with optional text fields such as folder). `done` resolves with the API's item (its
 * `duplicate` says whether the same bytes were already there) or rejects with an ApiError in the user's
 * language; a dropped connection rejects with an ApiError of code "network" and `networkMessage`.
 */
export function uploadMedia(
  file: File,
  fields: Record<string, string>,
  onProgress: (fraction: number) => void,
  networkMessage: string,
): UploadHandle {
  const signal: { xhr?: XMLHttpRequest; aborted: boolean } = { aborted: false };
  const done = (async () => {
    let answer = await send(file, fields, onProgress, signal);
    if (answer.error?.status === 401 && REFRESHABLE.has(answer.error.code) && (await refreshSession())) {
      onProgress(0);
      answer = await send(file, fields, onProgress, signal);
    }
    if (answer.item) return answer.item;
    if (answer.error) throw answer.error;
    throw new ApiError(0, signal.aborted ? 'aborted' : 'network', networkMessage);
  })();
  return {
    done,
    abort: () => {
      signal.aborted = true;
      signal.xhr?.abort();
    },
  };
}
