import type { CopyWriter } from '../platform/db/database';
import { PayloadTooLargeError } from '../platform/errors';
import { FeatureCollectionSplitter, type RawFeature } from './feature-collection-splitter';
import type { FeatureChecker } from './feature-checker';
import { NdjsonSplitter } from './ndjson-splitter';

export interface LoadProgress {
  bytesReceived: number;
  featuresRead: number;
}

/**
 * Where a version's features come from: batches of raw GeoJSON features, in order. Readers add to
 * `progress.bytesReceived` as they consume their input so progress bars and limits see bytes.
 */
export type FeatureBatches = (checker: FeatureChecker, progress: LoadProgress) => AsyncIterable<RawFeature[]>;

export interface SplitOptions {
  format: 'geojson' | 'ndjson';
  maxBytes: number;
  maxFeatureBytes: number;
}

/** A GeoJSON or NDJSON byte stream as feature batches, never holding the whole document. */
export function splitBody(body: AsyncIterable<Buffer>, o: SplitOptions): FeatureBatches {
  return async function* (checker, progress) {
    const splitter =
      o.format === 'geojson'
        ? new FeatureCollectionSplitter({ maxFeatureBytes: o.maxFeatureBytes, onMember: (k, v, n) => checker.onMember(k, v, n) })
        : new NdjsonSplitter(o.maxFeatureBytes);
    for await (const chunk of body) {
      progress.bytesReceived += chunk.length;
      if (progress.bytesReceived > o.maxBytes) {
        throw new PayloadTooLargeError(`The upload is larger than the limit of ${o.maxBytes} bytes.`);
      }
      yield splitter.push(chunk);
    }
    if (splitter instanceof NdjsonSplitter) yield splitter.end();
    else splitter.end();
  };
}

export interface LoadOptions {
  maxFeatures: number;
  /** Called now and then (at most once a second) while loading; awaited, so keep it quick. */
  onProgress: (p: LoadProgress) => Promise<void>;
}

const ROWS_PER_WRITE = 256 * 1024;

/**
 * Streams feature batches through check → COPY. Rows are written only while the upload is still
 * publishable; after the first error the rest is read and checked so the report has totals.
 */
export async function loadFeatures(batches: FeatureBatches, checker: FeatureChecker, writer: CopyWriter, o: LoadOptions): Promise<LoadProgress> {
  const progress: LoadProgress = { bytesReceived: 0, featuresRead: 0 };
  let rows = '';
  let lastReport = Date.now();

  for await (const features of batches(checker, progress)) {
    for (const raw of features) {
      if (++progress.featuresRead > o.maxFeatures) {
        throw new PayloadTooLargeError(`The data has more than ${o.maxFeatures} features, the most one layer may hold.`);
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
    if (Date.now() - lastReport >= 1000) {
      lastReport = Date.now();
      await o.onProgress(progress);
    }
  }
  checker.finish();
  if (rows.length > 0 && checker.publishable) await writer.write(rows);
  await o.onProgress(progress);
  return progress;
}
