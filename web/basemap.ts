import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { bboxClip, featureCollection } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { feature, mesh } from 'topojson-client';
import type { Topology } from 'topojson-specification';

/** Wales and its neighbours, with room to pan: the offline basemap covers this box. */
export const BASEMAP_BBOX: [number, number, number, number] = [-12, 48.5, 4, 61.5];

const require = createRequire(import.meta.url);
const topology = (file: string) => JSON.parse(readFileSync(require.resolve(`world-atlas/${file}`), 'utf8')) as Topology;

/**
 * The offline basemap's data, from Natural Earth 1:10m (the world-atlas npm package): land
 * polygons and the borders between countries, clipped to BASEMAP_BBOX and rounded to ~10 m.
 */
export function basemapData(): { land: FeatureCollection; borders: FeatureCollection } {
  const landTopo = topology('land-10m.json');
  const land = feature(landTopo, landTopo.objects.land!) as unknown as FeatureCollection<Polygon | MultiPolygon>;
  const countries = topology('countries-10m.json');
  const borders = mesh(countries, countries.objects.countries as never, (a, b) => a !== b);
  const clippedLand = land.features.map((f) => withoutEmptyParts(bboxClip(f, BASEMAP_BBOX) as Feature<Polygon | MultiPolygon>)).filter((f) => f.geometry.coordinates.length > 0);
  const clippedBorders = bboxClip({ type: 'Feature', properties: {}, geometry: borders }, BASEMAP_BBOX);
  return { land: round(featureCollection(clippedLand as Feature[])), borders: round(featureCollection([clippedBorders as Feature])) };
}

/** bboxClip leaves the polygons wholly outside the box as empty arrays, which MapLibre refuses. */
function withoutEmptyParts(f: Feature<Polygon | MultiPolygon>): Feature<Polygon | MultiPolygon> {
  const g = f.geometry;
  if (g.type === 'Polygon') return { ...f, geometry: { ...g, coordinates: g.coordinates.filter((r) => r.length >= 4) } };
  const parts = g.coordinates.map((p) => p.filter((r) => r.length >= 4)).filter((p) => p.length > 0);
  return { ...f, geometry: { ...g, coordinates: parts } };
}

function round(fc: FeatureCollection): FeatureCollection {
  return JSON.parse(JSON.stringify(fc, (_k, v) => (typeof v === 'number' ? Math.round(v * 1e4) / 1e4 : v)));
}
