import { join } from 'node:path';
import { kmlGen } from '@tmcw/togeojson';
import type { Document, Element } from '@xmldom/xmldom';
import type { RawFeature } from '../feature-collection-splitter';
import { UploadUnreadableError, type FeatureChecker } from '../feature-checker';
import type { FormatReaderOptions } from './format-options';
import { Batcher, rawFeature, rejectedFeature } from './raw-features';
import { SafeZip, basename, extensionOf } from './safe-zip';
import type { SpooledRead } from './spooled-reader';
import { lineOf, readXmlFile } from './xml-document';

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * Why a Placemark's coordinates cannot be read, if they cannot. togeojson quietly drops tuples
 * that are not numbers, which would publish a broken placemark as one without a location.
 */
function badCoordinates(placemark: Element): string | undefined {
  for (const c of Array.from(placemark.getElementsByTagName('coordinates'))) {
    const text = (c.textContent ?? '').trim();
    if (text === '') continue;
    for (const tuple of text.split(/\s+/)) {
      const parts = tuple.split(',');
      if (parts.at(-1) === '') parts.pop();
      if (parts.length < 2 || parts.length > 3 || !parts.every((p) => NUMBER.test(p))) {
        return `Its <coordinates> at line ${lineOf(c)} hold "${tuple.slice(0, 60)}", which is not longitude,latitude[,height] in numbers.`;
      }
    }
  }
  for (const c of [...Array.from(placemark.getElementsByTagName('gx:coord')), ...Array.from(placemark.getElementsByTagName('coord'))]) {
    const parts = (c.textContent ?? '').trim().split(/\s+/);
    if (parts.length < 2 || parts.length > 3 || !parts.every((p) => NUMBER.test(p))) {
      return `Its <gx:coord> at line ${lineOf(c)} holds "${(c.textContent ?? '').trim().slice(0, 60)}", which is not longitude latitude[ height] in numbers.`;
    }
  }
  return undefined;
}

/** Placemarks as features, in document order (togeojson yields them first, in the same order). */
function* kmlFeatures(doc: Document, checker: FeatureChecker, o: FormatReaderOptions): Generator<RawFeature[]> {
  const root = doc.documentElement;
  if (root?.localName !== 'kml') throw new UploadUnreadableError(`The file is XML but not KML (its root element is <${root?.nodeName ?? 'none'}>, not <kml>).`);
  checker.declareFileCrs(4326, 'KML is always WGS 84');
  const placemarks = Array.from(doc.getElementsByTagName('Placemark'));
  const features = kmlGen(doc);
  const batcher = new Batcher();
  for (let index = 0; index < placemarks.length; index++) {
    const placemark = placemarks[index]!;
    const feature = features.next().value;
    const problem = badCoordinates(placemark);
    const line = lineOf(placemark);
    const raw = problem || !feature ? rejectedFeature(index, line, 'bad-coordinates', problem ?? 'It could not be read.') : rawFeature(feature, index, line, o.maxFeatureBytes);
    const full = batcher.add(raw);
    if (full) yield full;
  }
  yield batcher.rest();
  const links = doc.getElementsByTagName('NetworkLink').length;
  const overlays = doc.getElementsByTagName('GroundOverlay').length;
  if (links + overlays > 0) {
    checker.warnAboutFile(
      'kml-not-features',
      `Only Placemarks are loaded: ${links} NetworkLink${links === 1 ? '' : 's'} (never fetched) and ${overlays} GroundOverlay${overlays === 1 ? '' : 's'} (images) were left out.`,
    );
  }
}

/** A KML document (always WGS 84 lon/lat): each Placemark becomes a feature, its line in the report. */
export function readKml(o: FormatReaderOptions): SpooledRead {
  return async function* (file, _dir, checker) {
    yield* kmlFeatures(await readXmlFile(file, 'KML'), checker, o);
  };
}

/** A KMZ: the checked zip's doc.kml (or its only .kml), read as KML; images and models in it are ignored. */
export function readKmz(o: FormatReaderOptions): SpooledRead {
  return async function* (file, dir, checker) {
    const zip = await SafeZip.open(file, 'KMZ');
    const kml = join(dir, 'doc.kml');
    try {
      const kmls = zip.members.filter((m) => extensionOf(m.name) === 'kml');
      const main = kmls.find((m) => m.name.toLowerCase() === 'doc.kml') ?? kmls.find((m) => !m.name.includes('/')) ?? kmls[0];
      if (!main) throw new UploadUnreadableError(`The KMZ holds no .kml document (it holds ${zip.members.slice(0, 10).map((m) => basename(m.name)).join(', ') || 'nothing'}).`);
      await zip.extract(main, kml);
    } finally {
      zip.close();
    }
    yield* kmlFeatures(await readXmlFile(kml, 'KML'), checker, o);
  };
}
