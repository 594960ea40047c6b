import { describe, expect, it } from 'vitest';
import type { LayerRepository } from '../server/src/layers/layer-repository';
import { createPublishedLayers } from '../server/src/layers/published-layers';
import { featureCollection, pointFeature, putData, useTestApp } from './helpers/test-app';

const ctx = useTestApp({ publisher: true });

/** The app's own layer repository, counting the lookups that reach the database. */
function countingLayers(): { layers: LayerRepository; lookups: () => number } {
  let n = 0;
  const real = ctx.t.deps.layers;
  const layers = new Proxy(real, {
    get(target, name, receiver) {
      if (name === 'get') return (slug: string) => (n++, target.get(slug));
      return Reflect.get(target, name, receiver) as unknown;
    },
  });
  return { layers, lookups: () => n };
}

async function publishedLayer(features = 1): Promise<string> {
  const slug = await ctx.t.createLayer(ctx.pub.token);
  const points = Array.from({ length: features }, (_, i) => pointFeature(`p${i}`, -3.2 + i / 100, 51.5, { n: i }));
  await putData(ctx.t.app, slug, ctx.pub.token, featureCollection(points)).expect(201);
  return slug;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('published layers as the read side sees them', () => {
  it('sends one lookup for many requests at once, and refreshes a stale entry once while it keeps answering', async () => {
    const slug = await publishedLayer();
    const { layers, lookups } = countingLayers();
    const published = createPublishedLayers(layers, 50);
    const first = await Promise.all(Array.from({ length: 16 }, () => published.require(slug)));
    expect(lookups()).toBe(1);
    expect(new Set(first.map((l) => l.currentVersion.id)).size).toBe(1);

    await sleep(60);
    // Past its time, the entry answers at once (no request waits) and one lookup refreshes it.
    const stale = Array.from({ length: 16 }, () => published.require(slug));
    expect(lookups()).toBe(2);
    expect((await Promise.all(stale)).every((l) => l.currentVersion.id === first[0]!.currentVersion.id)).toBe(true);
    await sleep(20);
    await published.require(slug);
    expect(lookups()).toBe(2);
  });

  it('serves a write in this process at once, and does not store a lookup begun before it', async () => {
    const slug = await publishedLayer();
    const { layers, lookups } = countingLayers();
    const published = createPublishedLayers(layers, 60_000);
    const before = await published.require(slug);

    await putData(ctx.t.app, slug, ctx.pub.token, featureCollection([pointFeature('q', -3.1, 51.6, {})])).expect(201);
    const begunBefore = published.get('no-such-layer');
    published.invalidate();
    expect(await begunBefore).toBeUndefined();
    const after = await published.require(slug);
    expect(after.currentVersion.version).toBe(before.currentVersion.version + 1);
    // The lookup begun before invalidate() was not kept: asking again looks up again.
    const n = lookups();
    expect(await published.get('no-such-layer')).toBeUndefined();
    expect(lookups()).toBe(n + 1);
    await expect(published.require('no-such-layer')).rejects.toThrow(/There is no collection "no-such-layer"/);
  });
});
