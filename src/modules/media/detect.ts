/**
 * What a file is, from its bytes alone (never its name or the Content-Type the client sent), and the cheap
 * facts about it: the duration of WAV and MP4/M4A files. Only the types of the allowlist are recognised;
 * anything else (HTML above all) answers null and is refused.
 */

export type MediaKind = 'image' | 'audio' | 'video' | 'document';

export interface DetectedType {
  mime: string;
  /** The extension of the names we generate. */
  ext: string;
  kind: MediaKind;
}

/** Every type the library accepts. */
export const ALLOWED_TYPES: readonly DetectedType[] = [
  { mime: 'image/png', ext: 'png', kind: 'image' },
  { mime: 'image/jpeg', ext: 'jpg', kind: 'image' },
  { mime: 'image/gif', ext: 'gif', kind: 'image' },
  { mime: 'image/webp', ext: 'webp', kind: 'image' },
  { mime: 'image/avif', ext: 'avif', kind: 'image' },
  { mime: 'image/svg+xml', ext: 'svg', kind: 'image' },
  { mime: 'application/pdf', ext: 'pdf', kind: 'document' },
  { mime: 'audio/mpeg', ext: 'mp3', kind: 'audio' },
  { mime: 'audio/wav', ext: 'wav', kind: 'audio' },
  { mime: 'audio/ogg', ext: 'ogg', kind: 'audio' },
  { mime: 'audio/mp4', ext: 'm4a', kind: 'audio' },
  { mime: 'video/mp4', ext: 'mp4', kind: 'video' },
  { mime: 'video/webm', ext: 'webm', kind: 'video' },
  { mime: 'video/ogg', ext: 'ogv', kind: 'video' },
];

const BY_MIME = new Map(ALLOWED_TYPES.map((t) => [t.mime, t]));

function type(mime: string): DetectedType {
  const found = BY_MIME.get(mime);
  if (!found) throw new Error(`${mime} is not in ALLOWED_TYPES`);
  return found;
}

function ascii(bytes: Buffer, start: number, end: number): string {
  return bytes.subarray(start, end).toString('latin1');
}

function startsWith(bytes: Buffer, signature: number[], offset = 0): boolean {
  return signature.every((b, i) => bytes[offset + i] === b);
}

/** MP4-family brands (ISO base media): M4A audio, AVIF images, the rest video. HEIC and QuickTime are not allowed. */
function isoBrand(bytes: Buffer): DetectedType | null {
  if (bytes.length < 12 || ascii(bytes, 4, 8) !== 'ftyp') return null;
  const size = bytes.readUInt32BE(0);
  const brands = [ascii(bytes, 8, 12)];
  for (let at = 16; at + 4 <= Math.min(size, bytes.length, 64); at += 4)
    brands.push(ascii(bytes, at, at + 4));
  const major = brands[0] ?? '';
  if (major === 'avif' || major === 'avis') return type('image/avif');
  if (major === 'M4A ' || major === 'M4B ') return type('audio/mp4');
  const video = ['isom', 'iso2', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'dash', 'M4V ', 'MSNV'];
  if (video.includes(major)) return type('video/mp4');
  return null;
}

/** An MPEG audio frame header (MPEG 1/2/2.5, layers I–III, a valid bitrate and sample rate). */
function isMpegFrame(bytes: Buffer, at = 0): boolean {
  if (bytes.length < at + 4) return false;
  const [b0, b1, b2] = [bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0];
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return false;
  const version = (b1 >> 3) & 0x03;
  const layer = (b1 >> 1) & 0x03;
  const bitrate = (b2 >> 4) & 0x0f;
  const rate = (b2 >> 2) & 0x03;
  return version !== 1 && layer !== 0 && bitrate !== 0 && bitrate !== 15 && rate !== 3;
}

/**
 * SVG: UTF-8 text whose first element is <svg> (after an optional XML declaration, comments, a doctype). A
 * text that is (or contains) HTML is not an SVG.
 */
function isSvg(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 4096);
  if (head.includes(0)) return false;
  let text = head.toString('utf8');
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (/<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]/i.test(bytes.toString('utf8'))) return false;
  let rest = text.trimStart();
  for (;;) {
    const prolog = /^(<\?xml[\s\S]*?\?>|<!--[\s\S]*?-->|<!doctype\s+svg[^>]*>)\s*/i.exec(rest);
    if (!prolog) break;
    rest = rest.slice(prolog[0].length);
  }
  return /^<svg[\s>/]/.test(rest) || /^<[a-z][\w-]*:svg[\s>/]/i.test(rest);
}

/** The allowed type of `bytes`, or null. */
export function detectType(bytes: Buffer): DetectedType | null {
  if (bytes.length < 4) return null;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return type('image/png');
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return type('image/jpeg');
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return type('image/gif');
  if (ascii(bytes, 0, 4) === 'RIFF' && bytes.length >= 12) {
    if (ascii(bytes, 8, 12) === 'WEBP') return type('image/webp');
    if (ascii(bytes, 8, 12) === 'WAVE') return type('audio/wav');
    return null;
  }
  if (ascii(bytes, 0, 5) === '%PDF-') return type('application/pdf');
  const iso = isoBrand(bytes);
  if (iso) return iso;
  if (ascii(bytes, 0, 4) === 'OggS') {
    return bytes.subarray(0, 128).includes('theora', 0, 'latin1') ? type('video/ogg') : type('audio/ogg');
  }
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) {
    return bytes.subarray(0, 64).includes('webm', 0, 'latin1') ? type('video/webm') : null;
  }
  if (ascii(bytes, 0, 3) === 'ID3' || isMpegFrame(bytes)) return type('audio/mpeg');
  if (isSvg(bytes)) return type('image/svg+xml');
  return null;
}

/** Seconds of a WAV file: the data chunk's size over the byte rate of its fmt chunk. */
function wavSeconds(bytes: Buffer): number | null {
  let byteRate = 0;
  for (let at = 12; at + 8 <= bytes.length;) {
    const id = ascii(bytes, at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    if (id === 'fmt ' && at + 20 <= bytes.length) byteRate = bytes.readUInt32LE(at + 16);
    if (id === 'data') return byteRate > 0 ? size / byteRate : null;
    at += 8 + size + (size % 2);
  }
  return null;
}

/** Seconds of an MP4/M4A file from its movie header (moov/mvhd). */
function mp4Seconds(bytes: Buffer): number | null {
  const boxes = (start: number, end: number, wanted: string): number | null => {
    for (let at = start; at + 8 <= end;) {
      let size = bytes.readUInt32BE(at);
      let header = 8;
      if (size === 1) {
        if (at + 16 > end) return null;
        size = Number(bytes.readBigUInt64BE(at + 8));
        header = 16;
      } else if (size === 0) size = end - at;
      if (size < header) return null;
      if (ascii(bytes, at + 4, at + 8) === wanted) return at + header;
      at += size;
    }
    return null;
  };
  const moov = boxes(0, bytes.length, 'moov');
  if (moov === null) return null;
  const mvhd = boxes(moov, bytes.length, 'mvhd');
  if (mvhd === null || mvhd + 32 > bytes.length) return null;
  const version = bytes[mvhd];
  const [timescale, duration] =
    version === 1
      ? [bytes.readUInt32BE(mvhd + 20), Number(bytes.readBigUInt64BE(mvhd + 24))]
      : [bytes.readUInt32BE(mvhd + 12), bytes.readUInt32BE(mvhd + 16)];
  return timescale > 0 ? duration / timescale : null;
}

/** Whole seconds of an audio or video file where that is cheap to read (WAV, MP4, M4A); otherwise null. */
export function durationSeconds(bytes: Buffer, detected: DetectedType): number | null {
  try {
    const seconds =
      detected.mime === 'audio/wav'
        ? wavSeconds(bytes)
        : detected.mime === 'video/mp4' || detected.mime === 'audio/mp4'
          ? mp4Seconds(bytes)
          : null;
    return seconds === null || !Number.isFinite(seconds) ? null : Math.round(seconds);
  } catch {
    // A truncated or odd header: the duration stays unknown.
    return null;
  }
}
