import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crsOfWkt } from './crs-from-wkt';

const PRJ = '../shared/data/uk-geodata';

describe('crsOfWkt', () => {
  it('recognises British National Grid by name, as the London .prj gives it', () => {
    expect(crsOfWkt(readFileSync(`${PRJ}/shapefile_london_sport_bng/london_sport.prj`, 'utf8'))).toEqual({ srid: 27700, name: 'OSGB 1936 / British National Grid' });
  });

  it('recognises British National Grid by datum and parameters when ESRI calls it only Transverse_Mercator', () => {
    expect(crsOfWkt(readFileSync(`${PRJ}/shapefile_uk_border_bng/ukbord.prj`, 'utf8'))).toEqual({ srid: 27700, name: 'Transverse_Mercator' });
  });

  it('does not take another Transverse Mercator on OSGB36 for the National Grid', () => {
    const wkt = readFileSync(`${PRJ}/shapefile_uk_border_bng/ukbord.prj`, 'utf8').replace('PARAMETER["central_meridian",-2]', 'PARAMETER["central_meridian",-3]');
    expect(crsOfWkt(wkt)?.srid).toBeUndefined();
  });

  it('takes the EPSG authority on the CRS itself, in WKT1 or WKT2', () => {
    expect(crsOfWkt('PROJCS["WGS 84 / Pseudo-Mercator",GEOGCS["WGS 84",AUTHORITY["EPSG","4326"]],AUTHORITY["EPSG","3857"]]')?.srid).toBe(3857);
    expect(crsOfWkt('PROJCRS["ETRS89 / UTM zone 30N",BASEGEOGCRS["ETRS89"],ID["EPSG",25830]]')?.srid).toBe(25830);
  });

  it('recognises WGS 84 longitude/latitude as ESRI and EPSG write it', () => {
    expect(crsOfWkt('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]')?.srid).toBe(4326);
    expect(crsOfWkt('GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],UNIT["degree",0.0174532925199433]]')?.srid).toBe(4326);
  });

  it('gives the name of a CRS it cannot identify, and nothing for text that is not WKT', () => {
    expect(crsOfWkt('PROJCS["Made_Up_Grid",GEOGCS["GCS_Nowhere",DATUM["D_Nowhere"]],PROJECTION["Mercator"]]')).toEqual({ srid: undefined, name: 'Made_Up_Grid' });
    expect(crsOfWkt('not wkt at all')).toBeUndefined();
  });
});
