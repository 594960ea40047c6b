import type { FeatureChecker } from '../feature-checker';

/** What every reader of a non-JSON format is told about the upload. */
export interface FormatReaderOptions {
  maxFeatureBytes: number;
  /** The Content-Type charset, for text formats that carry no declaration of their own (CSV). */
  charset: string;
  /** ?layer=: which table of a GeoPackage, or which shapefile of a zip holding several. */
  layer?: string;
  /** True when ?crs= was sent: it wins, and a CRS the file declares but we cannot identify is no reason to refuse. */
  crsGiven: boolean;
  /** The SRID of a CRS WKT (see crs-from-wkt.ts), bound to the database for name look-ups. */
  identifyCrs: (wkt: string) => Promise<{ srid: number | undefined; name: string }>;
  /** Declares the SRID a file names (e.g. a GeoPackage's EPSG code) after checking PostGIS knows it. */
  declareCrs: (checker: FeatureChecker, srid: number, where: string) => Promise<void>;
}
