import { InvalidParameterError } from '../errors';

export type BBox = [number, number, number, number];

/** "minLon,minLat,maxLon,maxLat" in WGS84 → BBox; 400 with the reason otherwise. */
export function parseBbox(value: unknown, name = 'bbox'): BBox | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new InvalidParameterError(`${name} must be given once, as minLon,minLat,maxLon,maxLat.`);
  const parts = value.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
    throw new InvalidParameterError(`${name} must be four numbers, minLon,minLat,maxLon,maxLat; got "${value}".`);
  }
  const [minX, minY, maxX, maxY] = parts as BBox;
  if (minY > maxY) throw new InvalidParameterError(`${name}: the minimum latitude ${minY} is above the maximum ${maxY}.`);
  if (minX < -180 || maxX > 180 || minY < -90 || maxY > 90) {
    throw new InvalidParameterError(`${name} is outside longitude −180..180 / latitude −90..90.`);
  }
  return [minX, minY, maxX, maxY];
}
