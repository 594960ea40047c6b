import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PayloadTooLargeError } from '../../platform/errors';
import type { RawFeature } from '../feature-collection-splitter';
import type { FeatureChecker } from '../feature-checker';
import type { FeatureBatches, LoadProgress } from '../load-features';

/** Reads a spooled upload: `file` is the whole body, `dir` a private directory for anything unpacked from it. */
export type SpooledRead = (file: string, dir: string, checker: FeatureChecker) => AsyncIterable<RawFeature[]>;

/**
 * Feature batches from a format that needs the whole file (zip, SQLite, XML): the body goes to a
 * temp directory first, counted against the upload limit, and the directory is removed however
 * reading ends (success, refusal, client gone, or the loader stopping early).
 */
export function spooledReader(body: AsyncIterable<Buffer>, maxBytes: number, read: SpooledRead): FeatureBatches {
  return async function* (checker, progress) {
    const dir = await mkdtemp(join(tmpdir(), 'haenau-upload-'));
    try {
      const file = join(dir, 'upload');
      yield* spoolBody(body, file, progress, maxBytes);
      yield* read(file, dir, checker);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}

/** Writes the body to `file`; yields an empty batch per chunk so the loader can report progress meanwhile. */
async function* spoolBody(body: AsyncIterable<Buffer>, file: string, progress: LoadProgress, maxBytes: number): AsyncGenerator<RawFeature[]> {
  const handle = await open(file, 'wx', 0o600);
  try {
    for await (const chunk of body) {
      progress.bytesReceived += chunk.length;
      if (progress.bytesReceived > maxBytes) {
        throw new PayloadTooLargeError(`The upload is larger than the limit of ${maxBytes} bytes.`);
      }
      await handle.write(chunk);
      yield [];
    }
  } finally {
    await handle.close();
  }
}
