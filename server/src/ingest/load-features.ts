import type { CopyWriter } from '../platform/db/database';
import { PayloadTooLargeError } from '../platform/errors';
import { FeatureCollectionSplitter, type RawFeature } from './feature-collection-splitter';
import type { FeatureChecker } from './feature-checker';
import { NdjsonSplitter } from './ndjson-splitter';
import type { UploadFormat } from './upload-format';

export interface LoadProgress {
  bytesReceived: number;
  featuresRead: number;
}

export interface LoadOptions {
  format: UploadFormat;
  maxBytes: number;
  maxFeatures: number;
  maxFeatureBytes: number;
  /** Called now and then (at most once a second) while loading; awaited, so keep it quick. */
  onProgress: (p: LoadProgress) => Promise<void>;
}

const ROWS_PER_WRITE = 256 * 1024;

/**
 * Streams the body through split → check → COPY. Rows are written only while the upload is still
 * publishable; after the first error the rest is read and checked so the report has totals.
 */
export async function loadFeatures(body: AsyncIterable<Buffer>, checker: FeatureChecker, writer: CopyWriter, o: LoadOptions): Promise<LoadProgress> {
  const progress: LoadProgress = { bytesReceived: 0, featuresRead: 0 };
  const splitter =
    o.format === 'geojson'
      ? new FeatureCollectionSplitter({ maxFeatureBytes: o.maxFeatureBytes, onMember: (k, v, n) => checker.onMember(k, v, n) })
      : new NdjsonSplitter(o.maxFeatureBytes);
  let rows = '';
  let lastReport = Date.now();

  const take = async (features: RawFeature[]) => {
    for (const raw of features) {
      if (++progress.featuresRead > o.maxFeatures) {
        throw new PayloadTooLargeError(`The upload has more than ${o.maxFeatures} features, the most one layer may hold.`);
      }
      const row = checker.check(raw);
      if (row !== null && checker.publishable) {
        rows += row;
        if (rows.length >= ROWS_PER_WRITE) {
          await writer.write(rows);
          rows = '';
        }
      }
    }
  };

  for await (const chunk of body) {
    progress.bytesReceived += chunk.length;
    if (progress.bytesReceived > o.maxBytes) {
      throw new PayloadTooLargeError(`The upload is larger than the limit of ${o.maxBytes} bytes.`);
    }
    await take(splitter.push(chunk));
    if (Date.now() - lastReport >= 1000) {
      lastReport = Date.now();
      await o.onProgress(progress);
    }
  }
  if (splitter instanceof NdjsonSplitter) await take(splitter.end());
  else splitter.end();
  checker.finish();
  if (rows.length > 0 && checker.publishable) await writer.write(rows);
  await o.onProgress(progress);
  return progress;
}
