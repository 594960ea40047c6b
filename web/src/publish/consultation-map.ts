import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';

export type Area = GeoJSON.Polygon | GeoJSON.MultiPolygon;
export type Box = [number, number, number, number];

/** [west, south, east, north] of any geometry's positions, or null when it has none. */
export function boxOf(geometry: GeoJSON.Geometry): Box | null {
  const box: Box = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      box[0] = Math.min(box[0], c[0]);
      box[1] = Math.min(box[1], c[1] as number);
      box[2] = Math.max(box[2], c[0]);
      box[3] = Math.max(box[3], c[1] as number);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  if (geometry.type === 'GeometryCollection') geometry.geometries.forEach((g) => visit('coordinates' in g ? g.coordinates : []));
  else visit(geometry.coordinates);
  return Number.isFinite(box[0]) ? box : null;
}

/** The rectangle the map shows now, as a closed GeoJSON ring (west→east, south→north). */
export function viewRectangle(map: MapLibreMap): GeoJSON.Polygon {
  const b = map.getBounds();
  const [w, s, e, n] = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => Math.round(v * 1e6) / 1e6) as Box;
  return { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] };
}

/** A pasted GeoJSON Polygon or MultiPolygon, bare or in a Feature (or a collection of one); null otherwise. */
export function parseArea(text: string): Area | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const g = json as { type?: string; geometry?: unknown; features?: unknown[]; coordinates?: unknown };
  if (g?.type === 'FeatureCollection' && g.features?.length === 1) return parseArea(JSON.stringify(g.features[0]));
  if (g?.type === 'Feature') return parseArea(JSON.stringify(g.geometry));
  if ((g?.type === 'Polygon' || g?.type === 'MultiPolygon') && Array.isArray(g.coordinates)) return g as Area;
  return null;
}

/** Draws (or redraws) one geometry collection as outlined areas, lines and dots under `id`. */
export function drawShapes(map: MapLibreMap, id: string, features: GeoJSON.Feature[], colour = '#1d70b8'): void {
  const data: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features };
  const source = map.getSource(id) as GeoJSONSource | undefined;
  if (source) return void source.setData(data);
  map.addSource(id, { type: 'geojson', data });
  map.addLayer({ id: `${id}-fill`, type: 'fill', source: id, filter: ['==', '$type', 'Polygon'], paint: { 'fill-color': colour, 'fill-opacity': 0.15 } });
  map.addLayer({ id: `${id}-line`, type: 'line', source: id, filter: ['!=', '$type', 'Point'], paint: { 'line-color': colour, 'line-width': 3 } });
  map.addLayer({ id: `${id}-point`, type: 'circle', source: id, filter: ['==', '$type', 'Point'], paint: { 'circle-color': colour, 'circle-radius': 7, 'circle-stroke-color': '#0b0c0c', 'circle-stroke-width': 2 } });
}

export const asFeature = (geometry: GeoJSON.Geometry, properties: Record<string, unknown> = {}): GeoJSON.Feature => ({ type: 'Feature', properties, geometry });

/** Longitude and latitude to a few metres, for people to read. */
export const degrees = (v: number) => v.toFixed(4);
