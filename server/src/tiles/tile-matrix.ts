import { InvalidParameterError } from '../platform/errors';

/** The one tile matrix set served: OGC WebMercatorQuad (EPSG:3857, 256-pixel tiles, origin top left). */
export const TILE_MATRIX_SET_ID = 'WebMercatorQuad';
export const TILE_MATRIX_SET_URI = 'http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad';
/** Deepest zoom served; beyond it a tile would be smaller than the 4096-unit grid can resolve usefully. */
export const MAX_ZOOM = 22;
/** MVT grid units per tile side, and the buffer around it so symbols and strokes do not clip at seams. */
export const EXTENT = 4096;
export const BUFFER = 64;

const HALF_WORLD = 20037508.342789244;

export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

const INTEGER = /^(0|[1-9][0-9]{0,8})$/;

/** z/y/x from the path: integers, inside the matrix at that zoom; anything else is a 400 naming the part. */
export function parseTileAddress(z: string, y: string, x: string): TileAddress {
  for (const [name, value] of [['tileMatrix', z], ['tileRow', y], ['tileCol', x]] as const) {
    if (!INTEGER.test(value)) throw new InvalidParameterError(`${name} must be a non-negative integer; got "${value}".`, { parameter: name });
  }
  const address = { z: Number(z), x: Number(x), y: Number(y) };
  if (address.z > MAX_ZOOM) {
    throw new InvalidParameterError(`tileMatrix ${address.z} is outside ${TILE_MATRIX_SET_ID}: zooms run from 0 to ${MAX_ZOOM}.`, { parameter: 'tileMatrix' });
  }
  const size = 2 ** address.z;
  for (const [name, value] of [['tileRow', address.y], ['tileCol', address.x]] as const) {
    if (value >= size) {
      throw new InvalidParameterError(`${name} ${value} is outside tile matrix ${address.z}, which has ${size} rows and columns (0 to ${size - 1}).`, { parameter: name });
    }
  }
  return address;
}

/** Width of one tile at zoom z in EPSG:3857 metres. */
export const tileSpan = (z: number) => (2 * HALF_WORLD) / 2 ** z;

/** The tile's box in EPSG:3857: [minX, minY, maxX, maxY]. */
export function tileBounds3857({ z, x, y }: TileAddress): [number, number, number, number] {
  const span = tileSpan(z);
  const minX = -HALF_WORLD + x * span;
  const maxY = HALF_WORLD - y * span;
  return [minX, maxY - span, minX + span, maxY];
}

/** The TileMatrixSet document (OGC Two Dimensional Tile Matrix Set 2.0) for WebMercatorQuad. */
export function tileMatrixSetJson() {
  return {
    id: TILE_MATRIX_SET_ID,
    title: 'Google Maps Compatible for the World',
    uri: TILE_MATRIX_SET_URI,
    crs: 'http://www.opengis.net/def/crs/EPSG/0/3857',
    orderedAxes: ['E', 'N'],
    tileMatrices: Array.from({ length: MAX_ZOOM + 1 }, (_, z) => ({
      id: String(z),
      scaleDenominator: tileSpan(z) / 256 / 0.00028,
      cellSize: tileSpan(z) / 256,
      cornerOfOrigin: 'topLeft',
      pointOfOrigin: [-HALF_WORLD, HALF_WORLD],
      matrixWidth: 2 ** z,
      matrixHeight: 2 ** z,
      tileWidth: 256,
      tileHeight: 256,
    })),
  };
}
