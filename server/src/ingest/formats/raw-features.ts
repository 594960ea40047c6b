import type { RawFeature } from '../feature-collection-splitter';

/** Features handed to the checker at a time: small enough to keep progress moving, large enough to be cheap. */
export const BATCH_SIZE = 500;

const NO_FEATURE = Buffer.from('null');

/** A feature from another format as the checker takes it: one GeoJSON Feature as UTF-8 JSON. */
export function rawFeature(feature: object, index: number, line: number | undefined, maxFeatureBytes: number): RawFeature {
  const bytes = Buffer.from(JSON.stringify(feature));
  if (bytes.length > maxFeatureBytes) {
    return rejectedFeature(index, line, 'feature-too-large', `It is ${bytes.length} bytes as GeoJSON, more than the limit of ${maxFeatureBytes} bytes for one feature.`);
  }
  return line === undefined ? { index, bytes } : { index, line, bytes };
}

/** A record the reader could not turn into a feature: it reaches the report as an error at its place in the file. */
export function rejectedFeature(index: number, line: number | undefined, code: string, message: string): RawFeature {
  return { index, ...(line === undefined ? {} : { line }), bytes: NO_FEATURE, readerProblem: { severity: 'error', code, message } };
}

/** Collects features into batches of BATCH_SIZE. */
export class Batcher {
  private batch: RawFeature[] = [];

  /** Adds a feature; returns a full batch to yield, if one is ready. */
  add(f: RawFeature): RawFeature[] | undefined {
    this.batch.push(f);
    if (this.batch.length < BATCH_SIZE) return undefined;
    const full = this.batch;
    this.batch = [];
    return full;
  }

  /** The last, partly filled batch. */
  rest(): RawFeature[] {
    const rest = this.batch;
    this.batch = [];
    return rest;
  }
}
