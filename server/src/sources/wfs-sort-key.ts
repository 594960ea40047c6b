import type { Feature } from 'geojson';
import type { FeaturePage } from './remote-source';

/** Names a SORTBY can carry as they are: no spaces, commas or brackets to be read as syntax. */
const PLAIN_NAME = /^[A-Za-z_][\w.-]*$/;

/**
 * The property a WFS's feature ids are made from, found on a sample page: MapServer writes gml:id as
 * "<type>.<gml_featureid value>", GeoServer and QGIS Server as "<type>.<key>", so the property whose
 * value is the id, or the id's part after its last dot, in every sampled feature, is the key.
 * Sorted by it, offset paging cannot send a feature twice and skip another.
 */
export function idProperty(sample: FeaturePage): string | undefined {
  const features = sampled(sample);
  if (features.length === 0) return undefined;
  const candidates = (f: Feature): string[] => {
    if (f.id === undefined || !f.properties) return [];
    const id = String(f.id);
    const tail = id.slice(id.lastIndexOf('.') + 1);
    return Object.entries(f.properties)
      .filter(([name, v]) => PLAIN_NAME.test(name) && (typeof v === 'string' || typeof v === 'number') && v !== '' && (String(v) === id || String(v) === tail))
      .map(([name]) => name);
  };
  const [first, ...rest] = features.map(candidates);
  return first!.find((name) => rest.every((names) => names.includes(name)));
}

function sampled(page: FeaturePage): Feature[] {
  if (page.raw) return page.raw.map((bytes) => JSON.parse(bytes.toString('utf8')) as Feature);
  const features = [...(page.features ?? [])];
  for (const batch of page.moreFeatures ?? []) features.push(...batch);
  return features;
}
