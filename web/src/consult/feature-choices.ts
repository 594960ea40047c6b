import type { Geometry } from 'geojson';
import { featureLabel } from '../feature-details';
import { lang } from '../i18n';
import { consultApi, type Text } from './consult-api';
import type { Bbox } from './consult-map';

/** A feature of a consulted layer a citizen may comment on, as the list and the map name it. */
export interface FeatureChoice {
  layer: string;
  id: string;
  label: string;
  geometry: Geometry | null;
}

export interface LayerChoices {
  layer: string;
  title: Text;
  choices: FeatureChoice[];
  /** More features meet the area than the list holds: the map still offers every one. */
  truncated: boolean;
}

/** How many features of each layer the list offers; beyond that a select stops being usable anyway. */
export const LIST_LIMIT = 500;

/**
 * The features of each consulted layer inside the consultation's box, by name, for people who
 * choose from a list rather than click the map. Ids are the OGC ids the tiles also carry.
 */
export async function loadFeatureChoices(layers: string[], titles: Map<string, Text>, area: Bbox): Promise<LayerChoices[]> {
  const bbox = [area.west, area.south, area.east, area.north];
  const collator = new Intl.Collator(lang() === 'cy' ? 'cy' : 'en', { numeric: true });
  return Promise.all(
    layers.map(async (layer) => {
      const page = await consultApi.features(layer, bbox, LIST_LIMIT);
      const choices = page.features
        .filter((f) => f.id !== undefined && f.id !== null)
        .map((f) => {
          const id = String(f.id);
          const name = featureLabel(f);
          return { layer, id, label: name.includes(id) ? name : `${name} (${id})`, geometry: f.geometry };
        })
        .sort((a, b) => collator.compare(a.label, b.label));
      const matched = page.numberMatched ?? choices.length;
      return { layer, title: titles.get(layer) ?? { en: layer }, choices, truncated: matched > page.features.length };
    }),
  );
}
