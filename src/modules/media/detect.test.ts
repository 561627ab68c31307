import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { detectType, durationSeconds } from './detect.ts';

/** A WAV file of `seconds` of silence: 8 kHz, mono, 8 bit. */
function wav(seconds: number): Buffer {
  const data = 8000 * seconds;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(8000, 24); // sample rate
  header.writeUInt32LE(8000, 28); // byte rate
  header.writeUInt16LE(1, 32); // block align
  header.writeUInt16LE(8, 34); // bits
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data, 40);
  return Buffer.concat([header, Buffer.alloc(data, 0x80)]);
}

function box(type: string, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

/** The boxes an MP4 (or, with brand "M4A ", an M4A) starts with: ftyp, then moov holding mvhd. */
function mp4(seconds: number, brand = 'isom'): Buffer {
  const ftyp = box('ftyp', Buffer.from(`${brand}\0\0\0\0isommp41`, 'latin1'));
  const mvhd = Buffer.alloc(100);
  mvhd.writeUInt32BE(1000, 12); // timescale
  mvhd.writeUInt32BE(seconds * 1000, 16); // duration
  return Buffer.concat([ftyp, box('free', Buffer.alloc(4)), box('moov', box('mvhd', mvhd))]);
}

describe('type detection from the bytes', () => {
  it('recognises the allowed image types made by sharp', async () => {
    const image = sharp({ create: { width: 4, height: 3, channels: 3, background: '#3366cc' } });
    expect(detectType(await image.clone().png().toBuffer())?.mime).toBe('image/png');
    expect(detectType(await image.clone().jpeg().toBuffer())?.mime).toBe('image/jpeg');
    expect(detectType(await image.clone().gif().toBuffer())?.mime).toBe('image/gif');
    expect(detectType(await image.clone().webp().toBuffer())?.mime).toBe('image/webp');
    expect(detectType(await image.clone().avif().toBuffer())?.mime).toBe('image/avif');
  });

  it('recognises documents, audio and video by their signatures', () => {
    expect(detectType(Buffer.from('%PDF-1.7\n%âãÏÓ\n'))?.mime).toBe('application/pdf');
    expect(detectType(wav(1))?.mime).toBe('audio/wav');
    expect(detectType(mp4(3))?.mime).toBe('video/mp4');
    expect(detectType(mp4(3, 'M4A '))?.mime).toBe('audio/mp4');
    expect(detectType(Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'))?.mime).toBe('audio/mpeg');
    expect(detectType(Buffer.from([0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0]))?.mime).toBe('audio/mpeg');
    expect(detectType(Buffer.from('OggS\0\x02' + '\0'.repeat(40) + '\x01vorbis', 'latin1'))?.mime).toBe(
      'audio/ogg',
    );
    const webm = Buffer.concat([
      Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84]),
      Buffer.from('webm'),
    ]);
    expect(detectType(webm)?.mime).toBe('video/webm');
  });

  it('recognises SVG by its root element, with a prolog or without', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>';
    expect(detectType(Buffer.from(svg))?.mime).toBe('image/svg+xml');
    expect(
      detectType(Buffer.from(`\uFEFF<?xml version="1.0"?>\n<!-- made by hand -->\n<!DOCTYPE svg>\n${svg}`))
        ?.mime,
    ).toBe('image/svg+xml');
  });

  it('refuses HTML, scripts and everything else not on the allowlist', () => {
    const refused = [
      '<!DOCTYPE html><html><body><script>alert(1)</script></body></html>',
      '<html><svg xmlns="http://www.w3.org/2000/svg"></svg></html>',
      '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><html><body>x</body></html></foreignObject></svg>',
      '<script>alert(1)</script>',
      'just some text',
      '{"json": true}',
      'PK\x03\x04zip file',
      'MZ\x90\x00 windows executable',
      '\x7fELF linux executable',
      '',
    ];
    for (const text of refused) expect(detectType(Buffer.from(text, 'latin1')), text).toBeNull();
    // Matroska that is not WebM, and HEIC, are not on the list.
    expect(
      detectType(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x42, 0x82, 0x88, ...Buffer.from('matroska')])),
    ).toBeNull();
    expect(detectType(mp4(1, 'heic'))).toBeNull();
  });

  it('reads the duration of WAV and MP4/M4A, and leaves the others unknown', () => {
    expect(durationSeconds(wav(2), { mime: 'audio/wav', ext: 'wav', kind: 'audio' })).toBe(2);
    expect(durationSeconds(mp4(95), { mime: 'video/mp4', ext: 'mp4', kind: 'video' })).toBe(95);
    expect(durationSeconds(mp4(7, 'M4A '), { mime: 'audio/mp4', ext: 'm4a', kind: 'audio' })).toBe(7);
    expect(durationSeconds(Buffer.from('ID3'), { mime: 'audio/mpeg', ext: 'mp3', kind: 'audio' })).toBeNull();
    // Truncated headers: unknown, not an error.
    expect(
      durationSeconds(mp4(5).subarray(0, 40), { mime: 'video/mp4', ext: 'mp4', kind: 'video' }),
    ).toBeNull();
    expect(
      durationSeconds(wav(1).subarray(0, 30), { mime: 'audio/wav', ext: 'wav', kind: 'audio' }),
    ).toBeNull();
  });
});
