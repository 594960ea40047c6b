import type { Knex } from 'knex';
import { UploadUnreadableError } from '../feature-checker';
import type { FeatureBatches } from '../load-features';
import { crsLabel } from '../source-crs';
import type { UploadFormat } from '../upload-format';
import { identifyCrs } from './crs-from-wkt';
import { readCsv } from './csv-reader';
import type { FormatReaderOptions } from './format-options';
import { readGeoPackage } from './geopackage-reader';
import { readGpx } from './gpx-reader';
import { readKml, readKmz } from './kml-reader';
import { readShapefileZip } from './shapefile-reader';
import { type SpooledRead, spooledReader } from './spooled-reader';

/** Formats read from a spooled file rather than streamed as JSON. */
export type FileFormat = Exclude<UploadFormat, 'geojson' | 'ndjson'>;

export interface FileFormatRequest {
  knex: Knex;
  maxBytes: number;
  maxFeatureBytes: number;
  charset: string;
  layer?: string;
  crsGiven: boolean;
}

function reader(format: FileFormat, o: FormatReaderOptions): SpooledRead {
  switch (format) {
    case 'shapefile':
      return readShapefileZip(o);
    case 'gpkg':
      return readGeoPackage(o);
    case 'kml':
      return readKml(o);
    case 'kmz':
      return readKmz(o);
    case 'gpx':
      return readGpx(o);
    case 'csv':
      return readCsv(o);
  }
}

/**
 * Feature batches from a Shapefile zip, GeoPackage, KML/KMZ, GPX or CSV upload: the body is
 * spooled to a temp file, then the format's reader turns it into GeoJSON features (coordinates in
 * the file's CRS, which it declares to the checker), so publishing goes on exactly as for GeoJSON.
 */
export function readFileFormat(format: FileFormat, body: AsyncIterable<Buffer>, r: FileFormatRequest): FeatureBatches {
  const o: FormatReaderOptions = {
    maxFeatureBytes: r.maxFeatureBytes,
    charset: r.charset,
    layer: r.layer,
    crsGiven: r.crsGiven,
    identifyCrs: (wkt) => identifyCrs(r.knex, wkt),
    async declareCrs(checker, srid, where) {
      const known = await r.knex('spatial_ref_sys').where({ srid }).first('srid');
      if (known) return checker.declareFileCrs(srid, where);
      if (!r.crsGiven) throw new UploadUnreadableError(`${where.charAt(0).toUpperCase()}${where.slice(1)} names ${crsLabel(srid)}, a CRS we do not know; send the right one with the upload, e.g. ?crs=EPSG:27700.`);
    },
  };
  return spooledReader(body, r.maxBytes, reader(format, o));
}
