import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { FeatureChecker } from '../feature-checker';
import { spooledReader } from './spooled-reader';

const uploadDirs = () => readdirSync(tmpdir()).filter((d) => d.startsWith('haenau-upload-'));

async function* body(chunks: number, size: number) {
  for (let i = 0; i < chunks; i++) yield Buffer.alloc(size, 0x61);
}

// The reader is handed the checker only to pass on; these readers never touch it.
const noChecker = {} as FeatureChecker;

describe('spooledReader', () => {
  it('hands the reader the whole body, counting bytes as they arrive, then removes its directory', async () => {
    const before = uploadDirs();
    const progress = { bytesReceived: 0, featuresRead: 0 };
    let seen = 0;
    const batches = spooledReader(body(3, 1000), 10_000, async function* (file) {
      seen = (await readFile(file)).length;
      yield [];
    });
    for await (const _ of batches(noChecker, progress));
    expect(seen).toBe(3000);
    expect(progress.bytesReceived).toBe(3000);
    expect(uploadDirs().filter((d) => !before.includes(d))).toEqual([]);
  });

  it('refuses a body over the limit with 413 and leaves nothing behind', async () => {
    const before = uploadDirs();
    const batches = spooledReader(body(5, 1000), 2500, async function* () {
      yield [];
    });
    await expect(async () => {
      for await (const _ of batches(noChecker, { bytesReceived: 0, featuresRead: 0 }));
    }).rejects.toMatchObject({ status: 413, publicMessage: 'The upload is larger than the limit of 2500 bytes.' });
    expect(uploadDirs().filter((d) => !before.includes(d))).toEqual([]);
  });

  it('removes its directory when the loader stops reading early', async () => {
    const before = uploadDirs();
    const batches = spooledReader(body(1, 10), 100, async function* () {
      yield [{ index: 0, bytes: Buffer.from('null') }];
      yield [{ index: 1, bytes: Buffer.from('null') }];
    });
    for await (const batch of batches(noChecker, { bytesReceived: 0, featuresRead: 0 })) if (batch.length > 0) break;
    expect(uploadDirs().filter((d) => !before.includes(d))).toEqual([]);
  });
});
