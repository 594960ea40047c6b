import { open as openFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Feature } from 'geojson';
import * as shapefile from 'shapefile';
import { UploadUnreadableError } from '../feature-checker';
import { encodingFromCpg, encodingFromLanguageDriver } from './dbf-encoding';
import type { FormatReaderOptions } from './format-options';
import { Batcher, rawFeature } from './raw-features';
import { SafeZip, type ZipMember, basename, extensionOf } from './safe-zip';
import type { SpooledRead } from './spooled-reader';

interface ShapefileParts {
  name: string;
  shp: ZipMember;
  dbf: ZipMember;
  prj?: ZipMember;
  cpg?: ZipMember;
}

const stem = (name: string) => name.slice(0, name.length - extensionOf(name).length - 1);

/** The one shapefile in the archive (or the one ?layer= names) with its companion files. */
function findShapefile(members: ZipMember[], layer: string | undefined): ShapefileParts {
  const shps = members.filter((m) => extensionOf(m.name) === 'shp');
  if (shps.length === 0) {
    const found = members.slice(0, 10).map((m) => m.name).join(', ') || 'nothing';
    throw new UploadUnreadableError(`The zip holds no .shp file (it holds ${found}); a zipped Shapefile needs at least NAME.shp and NAME.dbf.`);
  }
  const names = shps.map((m) => basename(stem(m.name)));
  let shp = shps[0]!;
  if (layer !== undefined) {
    const chosen = shps.find((m) => basename(stem(m.name)).toLowerCase() === layer.toLowerCase());
    if (!chosen) throw new UploadUnreadableError(`The zip has no shapefile called "${layer}"; it has ${names.join(', ')}.`);
    shp = chosen;
  } else if (shps.length > 1) {
    throw new UploadUnreadableError(`The zip holds ${shps.length} shapefiles (${names.join(', ')}); choose one with ?layer=NAME, or upload them one at a time.`);
  }
  const sibling = (ext: string) => members.find((m) => extensionOf(m.name) === ext && stem(m.name).toLowerCase() === stem(shp.name).toLowerCase());
  const dbf = sibling('dbf');
  const name = basename(stem(shp.name));
  if (!dbf) throw new UploadUnreadableError(`The zip has ${name}.shp but no ${name}.dbf beside it; a shapefile needs both.`);
  return { name, shp, dbf, prj: sibling('prj'), cpg: sibling('cpg') };
}

/** dBASE dates come back as local-midnight Dates; properties keep them as YYYY-MM-DD. */
function plainProperties(properties: Record<string, unknown> | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(properties ?? {})) {
    if (v instanceof Date) {
      out[k] = Number.isNaN(v.getTime())
        ? null
        : `${String(v.getFullYear()).padStart(4, '0')}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`;
    } else out[k] = v;
  }
  return out;
}

async function dbfEncoding(dbfPath: string, cpgPath: string | undefined): Promise<string> {
  if (cpgPath) return encodingFromCpg(await readFile(cpgPath, 'latin1'));
  const handle = await openFile(dbfPath, 'r');
  try {
    const header = Buffer.alloc(32);
    await handle.read(header, 0, 32, 0);
    return encodingFromLanguageDriver(header[29]!);
  } finally {
    await handle.close();
  }
}

/**
 * A zipped Shapefile: the .shp, .dbf, .prj and .cpg are unpacked from the checked archive, the
 * CRS comes from the .prj (refused when unknown, unless ?crs= says), the text encoding from the
 * .cpg or the .dbf's language driver, and the records stream out with mbostock's `shapefile`.
 */
export function readShapefileZip(o: FormatReaderOptions): SpooledRead {
  return async function* (file, dir, checker) {
    const zip = await SafeZip.open(file, 'a Shapefile');
    let parts: ShapefileParts;
    const path = (ext: string) => join(dir, `layer.${ext}`);
    try {
      parts = findShapefile(zip.members, o.layer);
      for (const [ext, member] of Object.entries({ shp: parts.shp, dbf: parts.dbf, prj: parts.prj, cpg: parts.cpg })) {
        if (member) await zip.extract(member, path(ext));
      }
    } finally {
      zip.close();
    }
    if (parts.prj) {
      const { srid, name } = await o.identifyCrs(await readFile(path('prj'), 'utf8'));
      if (srid !== undefined) await o.declareCrs(checker, srid, `${parts.name}.prj`);
      else if (!o.crsGiven) {
        throw new UploadUnreadableError(`${parts.name}.prj describes a coordinate system we cannot identify ("${name}"); send its EPSG code with the upload, e.g. ?crs=EPSG:27700.`);
      }
    }
    const encoding = await dbfEncoding(path('dbf'), parts.cpg && path('cpg'));
    let source: shapefile.Source<Feature>;
    try {
      source = await shapefile.open(path('shp'), path('dbf'), { encoding });
    } catch (err) {
      throw new UploadUnreadableError(`${parts.name}.shp cannot be read (${(err as Error).message}).`);
    }
    const batcher = new Batcher();
    let index = 0;
    try {
      for (;;) {
        let next: { done: boolean; value: Feature };
        try {
          next = await source.read();
        } catch (err) {
          throw new UploadUnreadableError(`${parts.name}.shp cannot be read after ${index} records (${(err as Error).message}).`);
        }
        if (next.done) break;
        const f = next.value;
        const full = batcher.add(rawFeature({ type: 'Feature', properties: plainProperties(f.properties), geometry: f.geometry }, index++, undefined, o.maxFeatureBytes));
        if (full) yield full;
      }
    } finally {
      await source.cancel().catch(() => {});
    }
    yield batcher.rest();
  };
}
