import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';

export interface DecodedFeature {
  id: number | undefined;
  type: number;
  properties: Record<string, unknown>;
  geometry: Array<Array<{ x: number; y: number }>>;
}

/** A tile decoded with @mapbox/vector-tile: layer name → features (tile coordinates, y down). */
export function decodeTile(body: Buffer | Uint8Array): Record<string, DecodedFeature[]> {
  const tile = new VectorTile(new PbfReader(body));
  const out: Record<string, DecodedFeature[]> = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    out[name] = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      out[name].push({
        id: f.id,
        type: f.type,
        properties: f.properties,
        geometry: f.loadGeometry().map((ring) => ring.map((p) => ({ x: p.x, y: p.y }))),
      });
    }
  }
  return out;
}

/** The tile z/x/y holding a lon/lat point. */
export function tileOf(lon: number, lat: number, z: number) {
  const n = 2 ** z;
  const phi = (lat * Math.PI) / 180;
  return {
    z,
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * n),
  };
}

/** The lon/lat box of tile z/x/y, grown by `margin` tiles on each side. */
export function tileLonLatBounds(z: number, x: number, y: number, margin = 0): [number, number, number, number] {
  const n = 2 ** z;
  const lon = (col: number) => (col / n) * 360 - 180;
  const lat = (row: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * row) / n))) * 180) / Math.PI;
  return [lon(x - margin), lat(y + 1 + margin), lon(x + 1 + margin), lat(y - margin)];
}
