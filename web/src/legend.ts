import type { LayerSpecification } from 'maplibre-gl';
import { h } from './dom';

/** A colour the style actually uses for this paint property, when it is a plain colour. */
function colourOf(layer: LayerSpecification, prop: string): string | undefined {
  const v = (layer as { paint?: Record<string, unknown> }).paint?.[prop];
  return typeof v === 'string' ? v : undefined;
}

/** One swatch per overlay, drawn from the paint of the style layers on the map (not from a separate list). */
export function legendSwatch(layers: LayerSpecification[]): HTMLElement {
  const circle = layers.find((l) => l.type === 'circle');
  const fill = layers.find((l) => l.type === 'fill');
  const line = layers.find((l) => l.type === 'line');
  if (circle) {
    const s = h('span', { class: 'app-swatch app-swatch--circle', 'aria-hidden': 'true', 'data-colour': colourOf(circle, 'circle-color') });
    s.style.background = colourOf(circle, 'circle-color') ?? '#000';
    s.style.border = `1px solid ${colourOf(circle, 'circle-stroke-color') ?? '#000'}`;
    return s;
  }
  if (fill) {
    const s = h('span', { class: 'app-swatch', 'aria-hidden': 'true', 'data-colour': colourOf(fill, 'fill-color') });
    s.style.background = colourOf(fill, 'fill-color') ?? '#000';
    s.style.border = `2px solid ${(line && colourOf(line, 'line-color')) ?? '#000'}`;
    return s;
  }
  const s = h('span', { class: 'app-swatch app-swatch--line', 'aria-hidden': 'true', 'data-colour': line && colourOf(line, 'line-color') });
  s.style.background = (line && colourOf(line, 'line-color')) ?? '#000';
  return s;
}
