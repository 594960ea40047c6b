import type { LayerSpecification } from 'maplibre-gl';
import { h } from './dom';

/** A colour the style actually uses for this paint property, when it is a plain colour. */
function colourOf(layer: LayerSpecification | undefined, prop: string): string | undefined {
  const v = (layer as { paint?: Record<string, unknown> } | undefined)?.paint?.[prop];
  return typeof v === 'string' ? v : undefined;
}

/** One swatch per overlay, drawn from the paint of the style layers on the map (not from a separate list). */
export function legendSwatch(layers: LayerSpecification[]): HTMLElement {
  const circle = layers.find((l) => l.type === 'circle');
  const fill = layers.find((l) => l.type === 'fill');
  const line = layers.find((l) => l.type === 'line');
  const [shape, colour, border] = circle
    ? ['app-swatch--circle', colourOf(circle, 'circle-color'), `1px solid ${colourOf(circle, 'circle-stroke-color') ?? '#000'}`]
    : fill
      ? ['', colourOf(fill, 'fill-color'), `2px solid ${colourOf(line, 'line-color') ?? '#000'}`]
      : ['app-swatch--line', colourOf(line, 'line-color'), ''];
  const s = h('span', { class: `app-swatch ${shape}`.trim(), 'aria-hidden': 'true', 'data-colour': colour });
  s.style.background = colour ?? '#000';
  if (border) s.style.border = border;
  return s;
}
