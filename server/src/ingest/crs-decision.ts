import type { Geometry } from 'geojson';
import { firstPosition } from './inspect-geometry';
import { crsLabel, looksLikeBritishNationalGrid } from './source-crs';

export type CrsSource = 'parameter' | 'crs member' | 'file' | 'coordinates' | 'default';

/**
 * Which CRS an upload's coordinates are in: the crs parameter, else what the file declares (a leading
 * crs member, a .prj, a service), else British National Grid when the first position looks like it,
 * else CRS84. Settled at the first located feature; notes go to `warn`.
 */
export class CrsDecision {
  srid: number | undefined;
  source: CrsSource | undefined;
  private declared: number | undefined;
  private declaredBy: CrsSource = 'crs member';
  private late: number | undefined;

  constructor(crsParam: number | undefined, private readonly warn: (code: string, message: string) => void) {
    if (crsParam !== undefined) {
      this.srid = crsParam;
      this.source = 'parameter';
    }
  }

  /** A GeoJSON crs member; one after the features cannot steer how they were read, so lateConflict() checks it agrees. */
  member(srid: number, seenFeatures: number): void {
    if (this.overridden(srid, '')) return;
    if (seenFeatures > 0) this.late = srid;
    else this.declared = srid;
  }

  /** The CRS a file of another format declares (.prj, GeoPackage SRS, KML): read as a leading crs member would be. */
  file(srid: number, where: string): void {
    if (this.overridden(srid, ` (${where})`)) return;
    this.declared = srid;
    this.declaredBy = 'file';
  }

  private overridden(srid: number, where: string): boolean {
    if (this.source !== 'parameter') return false;
    if (srid !== this.srid) this.warn('crs-overridden', `The file says ${crsLabel(srid)}${where} but the crs parameter ${crsLabel(this.srid!)} was used.`);
    return true;
  }

  /** The CRS for this geometry: settled now if it was not yet. */
  decide(g: Geometry): number {
    if (this.srid !== undefined) return this.srid;
    if (this.declared !== undefined) {
      this.srid = this.declared;
      this.source = this.declaredBy;
      return this.srid;
    }
    const p = firstPosition(g);
    if (p && looksLikeBritishNationalGrid(p[0]!, p[1]!)) {
      this.srid = 27700;
      this.source = 'coordinates';
      this.warn('crs-detected', 'No CRS was given and the coordinates look like British National Grid, so they were read as EPSG:27700; send crs=EPSG:27700 to say so.');
    } else {
      this.srid = 4326;
      this.source = 'default';
    }
    return this.srid;
  }

  /** After the last feature: why a trailing crs member contradicts how the features were read, if it does. */
  lateConflict(): string | undefined {
    const late = this.late;
    if (late === undefined || this.source === 'parameter' || this.srid === undefined || late === this.srid) return undefined;
    return `The "crs" member (${crsLabel(late)}) comes after the features, which were already read as ${crsLabel(this.srid)}; send crs=${crsLabel(late)} with the upload.`;
  }
}
