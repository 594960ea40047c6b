import { buildWeb } from '../web/build';

/** The browser tests drive the built viewer: build it once, before any test file, when its sources changed. */
export default async function setup(): Promise<void> {
  await buildWeb({ ifStale: true, log: () => {} });
}
