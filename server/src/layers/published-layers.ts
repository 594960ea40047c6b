import { NotFoundError } from '../platform/errors';
import type { Layer, LayerVersion } from './layer';
import type { LayerRepository } from './layer-repository';

/** A published layer: it has a current version. */
export type ServedLayer = Layer & { currentVersion: LayerVersion };

/**
 * The read side's view of published layers: looked up once a second at most, so a busy items or
 * tile endpoint does not re-read layer metadata on every request. Writes in this process call
 * invalidate() after they commit; other processes see a change within `ttlMs` and one lookup.
 *
 * A lookup is shared by every request that needs it meanwhile, and an entry past its time keeps
 * answering while one lookup refreshes it: when the second is up, the 16 requests in flight on a
 * busy layer neither wait for the database nor each send it the same two queries.
 */
export function createPublishedLayers(layers: LayerRepository, ttlMs = 1000) {
  const bySlug = new Map<string, { at: number; layer: Layer | undefined }>();
  const inFlight = new Map<string, Promise<Layer | undefined>>();
  let all: { at: number; layers: Layer[] } | undefined;
  // Bumped by invalidate(): a lookup begun before a write must not store what it read.
  let generation = 0;

  function lookUp(slug: string): Promise<Layer | undefined> {
    const pending = inFlight.get(slug);
    if (pending) return pending;
    const started = generation;
    const lookup = layers
      .get(slug)
      .then((layer) => {
        const published = layer?.currentVersion ? layer : undefined;
        if (started === generation) {
          if (bySlug.size > 10_000) bySlug.clear();
          bySlug.set(slug, { at: Date.now(), layer: published });
        }
        return published;
      })
      .finally(() => {
        if (inFlight.get(slug) === lookup) inFlight.delete(slug);
      });
    inFlight.set(slug, lookup);
    return lookup;
  }

  async function get(slug: string): Promise<Layer | undefined> {
    const hit = bySlug.get(slug);
    if (!hit) return lookUp(slug);
    if (Date.now() - hit.at >= ttlMs) {
      // Refreshed in the background; a failed refresh leaves the entry to be tried again.
      lookUp(slug).catch(() => {});
    }
    return hit.layer;
  }

  return {
    get,
    /** The published layer, or a 404 naming the collection. */
    async require(slug: string): Promise<ServedLayer> {
      const layer = await get(slug);
      if (!layer?.currentVersion) throw new NotFoundError(`There is no collection "${slug}".`);
      return layer as ServedLayer;
    },
    async list(): Promise<Layer[]> {
      if (all && Date.now() - all.at < ttlMs) return all.layers;
      const fresh = (await layers.search({ terms: [], limit: 10_000, offset: 0 })).layers;
      all = { at: Date.now(), layers: fresh };
      return fresh;
    },
    invalidate(): void {
      generation++;
      bySlug.clear();
      inFlight.clear();
      all = undefined;
    },
  };
}

export type PublishedLayers = ReturnType<typeof createPublishedLayers>;
