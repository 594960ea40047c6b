import type { Feature, FeatureCollection } from 'geojson';

/** What the catalogue says about a published layer (GET /api/layers). */
export interface LayerSummary {
  slug: string;
  title: { en: string; cy: string | null };
  description: { en: string | null; cy: string | null };
  licence: string;
  attribution: string | null;
  theme: string | null;
  featureCount: number;
  geometryType: string | null;
  bbox: [number, number, number, number] | null;
  properties: { name: string; type: string }[];
  updatedAt: string;
  currentVersion: { version: number; createdAt: string } | null;
  publisher: { id: string; name: { en: string; cy: string | null } };
}

export interface Facets {
  themes: { id: string; count: number }[];
  publishers: { id: string; name: { en: string; cy: string | null }; count: number }[];
}

export interface NearAnswer {
  collections: { id: string; numberReturned: number; complete: boolean; features: (Feature & { distance: number })[] }[];
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return (await res.json()) as T;
}

const enc = encodeURIComponent;

export const api = {
  search: (p: { q?: string; theme?: string; publisher?: string }, signal?: AbortSignal) => {
    const qs = new URLSearchParams({ limit: '100' });
    if (p.q) qs.set('q', p.q);
    if (p.theme) qs.set('theme', p.theme);
    if (p.publisher) qs.set('organisation', p.publisher);
    return getJson<{ total: number; layers: LayerSummary[] }>(`/api/layers?${qs}`, signal);
  },
  facets: () => getJson<Facets>('/api/catalogue/facets'),
  layer: (slug: string) => getJson<LayerSummary>(`/api/layers/${enc(slug)}`),
  style: (slug: string) => getJson<{ sources: Record<string, unknown>; layers: Record<string, unknown>[] }>(`/ogc/collections/${enc(slug)}/styles/default`),
  feature: (slug: string, id: string | number) => getJson<Feature>(`/ogc/collections/${enc(slug)}/items/${enc(String(id))}`),
  itemsInView: (slug: string, bbox: number[], limit: number, signal?: AbortSignal) =>
    getJson<FeatureCollection & { numberReturned: number; links: { rel: string }[] }>(
      `/ogc/collections/${enc(slug)}/items?bbox=${bbox.map((n) => n.toFixed(6)).join(',')}&limit=${limit}`,
      signal,
    ),
  /** Every feature of a small layer, a page at a time (only used below the near-this threshold). */
  allFeatures: async (slug: string): Promise<Feature[]> => {
    const out: Feature[] = [];
    let url: string | undefined = `/ogc/collections/${enc(slug)}/items?limit=1000`;
    while (url) {
      const page: FeatureCollection & { links?: { rel: string; href: string }[] } = await getJson(url);
      out.push(...page.features);
      url = page.links?.find((l) => l.rel === 'next')?.href;
    }
    return out;
  },
  near: (from: string, distance: number, collections: string[]) =>
    getJson<NearAnswer>(`/api/near?from=${enc(from)}&distance=${distance}&collections=${collections.map(enc).join(',')}`),
  config: () => getJson<{ basemapStyleUrl: string | null }>('/viewer-config.json'),
};
