import { gpxGen } from '@tmcw/togeojson';
import type { Element } from '@xmldom/xmldom';
import { UploadUnreadableError } from '../feature-checker';
import type { FormatReaderOptions } from './format-options';
import { Batcher, rawFeature, rejectedFeature } from './raw-features';
import type { SpooledRead } from './spooled-reader';
import { lineOf, readXmlFile } from './xml-document';

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** Tracks, routes and waypoints in the order togeojson yields them, with the element holding their points. */
const KINDS = [
  { tag: 'trk', point: 'trkpt', what: 'track' },
  { tag: 'rte', point: 'rtept', what: 'route' },
  { tag: 'wpt', point: undefined, what: 'waypoint' },
] as const;

/** The first point whose lat/lon are not numbers (togeojson would drop it without a word). */
function badPoint(points: Element[]): string | undefined {
  for (const p of points) {
    const lat = p.getAttribute('lat') ?? '';
    const lon = p.getAttribute('lon') ?? '';
    if (!NUMBER.test(lat.trim()) || !NUMBER.test(lon.trim())) {
      return `Its point at line ${lineOf(p)} has lat=${JSON.stringify(lat)} lon=${JSON.stringify(lon)}, which are not numbers.`;
    }
  }
  return undefined;
}

/**
 * A GPX file (always WGS 84): each track, route and waypoint becomes a feature. Each is converted
 * by togeojson on its own in a scratch document, so a point togeojson would drop is reported
 * against the right element and line instead.
 */
export function readGpx(o: FormatReaderOptions): SpooledRead {
  return async function* (file, _dir, checker) {
    const doc = await readXmlFile(file, 'GPX');
    const root = doc.documentElement;
    if (root?.localName !== 'gpx') throw new UploadUnreadableError(`The file is XML but not GPX (its root element is <${root?.nodeName ?? 'none'}>, not <gpx>).`);
    checker.declareFileCrs(4326, 'GPX is always WGS 84');
    const scratch = doc.implementation.createDocument(null, '', null);
    // The root's namespace declarations tell togeojson which extension prefixes to read.
    const scratchRoot = scratch.importNode(root, false);
    scratch.appendChild(scratchRoot);
    const batcher = new Batcher();
    let index = 0;
    for (const kind of KINDS) {
      for (const el of Array.from(doc.getElementsByTagName(kind.tag))) {
        const line = lineOf(el);
        const problem = badPoint(kind.point ? Array.from(el.getElementsByTagName(kind.point)) : [el]);
        let raw;
        if (problem) raw = rejectedFeature(index, line, 'bad-coordinates', problem);
        else {
          const copy = scratchRoot.appendChild(scratch.importNode(el, true));
          const feature = gpxGen(scratch).next().value;
          scratchRoot.removeChild(copy);
          raw = feature
            ? rawFeature(feature, index, line, o.maxFeatureBytes)
            : rejectedFeature(index, line, 'too-few-points', `Its ${kind.what} has fewer than two points; a line needs at least two.`);
        }
        index++;
        const full = batcher.add(raw);
        if (full) yield full;
      }
    }
    yield batcher.rest();
  };
}
