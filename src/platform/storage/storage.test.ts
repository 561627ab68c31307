import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMediaStorage, InvalidStorageKeyError } from './index.ts';
import { LocalStorage } from './local.ts';

async function text(storage: LocalStorage, key: string): Promise<string | null> {
  const file = await storage.get(key);
  if (!file) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of file.stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function fresh(): { dir: string; storage: LocalStorage } {
  const dir = mkdtempSync(path.join(tmpdir(), 'magnetiq-storage-'));
  return { dir, storage: new LocalStorage(path.join(dir, 'media')) };
}

describe('local storage', () => {
  it('puts, reads (stream and size), checks and deletes a file under its key', async () => {
    const { storage } = fresh();
    expect(await storage.exists('ab/cd/file.txt')).toBe(false);
    expect(await storage.get('ab/cd/file.txt')).toBeNull();
    await storage.put('ab/cd/file.txt', Buffer.from('hello'));
    expect(await storage.exists('ab/cd/file.txt')).toBe(true);
    expect((await storage.get('ab/cd/file.txt'))?.size).toBe(5);
    expect(await text(storage, 'ab/cd/file.txt')).toBe('hello');
    await storage.put('ab/cd/file.txt', Buffer.from('replaced'));
    expect(await text(storage, 'ab/cd/file.txt')).toBe('replaced');
    // No temporary file is left beside it.
    expect(readdirSync(path.join(storage.root, 'ab/cd'))).toEqual(['file.txt']);
    await storage.delete('ab/cd/file.txt');
    await storage.delete('ab/cd/file.txt');
    expect(await storage.exists('ab/cd/file.txt')).toBe(false);
  });

  it('refuses every key that could leave the root, before touching the disk', async () => {
    const { dir, storage } = fresh();
    const bad = [
      '../evil.txt',
      '../../etc/passwd',
      'a/../../evil.txt',
      'a/./b',
      './a',
      '/etc/passwd',
      'a//b',
      'a\\..\\..\\evil.txt',
      '..',
      '',
      'A/B.txt',
      'a/b/',
      '%2e%2e/evil',
      'a\u0000b',
    ];
    for (const key of bad) {
      await expect(storage.put(key, Buffer.from('x')), key).rejects.toThrow(InvalidStorageKeyError);
      await expect(storage.get(key), key).rejects.toThrow(InvalidStorageKeyError);
      await expect(storage.exists(key), key).rejects.toThrow(InvalidStorageKeyError);
      await expect(storage.delete(key), key).rejects.toThrow(InvalidStorageKeyError);
    }
    // Nothing was written anywhere, not even the root.
    expect(readdirSync(dir)).toEqual([]);
  });

  it('resolves every accepted key inside the root', () => {
    const { storage } = fresh();
    for (const key of ['a', 'ab/cd/' + 'f'.repeat(64) + '.png', 'variants/ab/cd/x-320.webp', 'a..b/c']) {
      expect(storage.pathOf(key).startsWith(storage.root + path.sep), key).toBe(true);
    }
  });

  it('keeps the media store in DATA_DIR/media', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'magnetiq-storage-'));
    const storage = createMediaStorage({ dataDir: dir });
    expect(storage).toBeInstanceOf(LocalStorage);
    expect(storage instanceof LocalStorage && storage.root).toBe(path.join(dir, 'media'));
  });
});
