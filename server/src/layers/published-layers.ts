import { NotFoundError } from '../platform/errors';
import type { Layer, LayerVersion } from './layer';
import type { LayerRepository } from './layer-repository';

/** A published layer: it has a current version. */
export type ServedLayer = Layer & { currentVersion: LayerVersion };

/**
 * The read side's view of published layers: looked up once a second at most, so a busy items or
 * tile endpoint does not re-read layer metadata on every request. Writes in this process call
 * invalidate() after they commit; other processes see a change within `ttlMs`.
 */
export function createPublishedLayers(layers: LayerRepository, ttlMs = 1000) {
  const bySlug = new Map<string, { at: number; layer: Layer | undefined }>();
  let all: { at: number; layers: Layer[] } | undefined;
  async function get(slug: string): Promise<Layer | undefined> {
    const hit = bySlug.get(slug);
    if (hit && Date.now() - hit.at < ttlMs) return hit.layer;
    const layer = await layers.get(slug);
    const published = layer?.currentVersion ? layer : undefined;
    if (bySlug.size > 10_000) bySlug.clear();
    bySlug.set(slug, { at: Date.now(), layer: published });
    return published;
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
      bySlug.clear();
      all = undefined;
    },
  };
}

export type PublishedLayers = ReturnType<typeof createPublishedLayers>;
