import type { Knex } from 'knex';

/** One WKT CRS node: KEYWORD[args…], where an arg is a quoted string, a number, a bare word or a node. */
interface WktNode {
  keyword: string;
  args: Array<string | number | WktNode>;
}

/** Parses CRS WKT (WKT1 as in .prj files and GeoPackages, or WKT2); undefined when it is not WKT. */
function parseCrsWkt(text: string): WktNode | undefined {
  const tokens = text.match(/"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_]*|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[[\](),]/g) ?? [];
  let i = 0;
  const node = (): WktNode | undefined => {
    const keyword = tokens[i++];
    if (!keyword || !/^[A-Za-z_]/.test(keyword) || !/^[[(]$/.test(tokens[i] ?? '')) return undefined;
    i++;
    const args: WktNode['args'] = [];
    while (i < tokens.length && !/^[\])]$/.test(tokens[i]!)) {
      const t = tokens[i]!;
      if (t === ',') i++;
      else if (t.startsWith('"')) (args.push(t.slice(1, -1).replaceAll('""', '"')), i++);
      else if (/^[-+.\d]/.test(t)) (args.push(Number(t)), i++);
      else if (/^[[(]$/.test(tokens[i + 1] ?? '')) {
        const child = node();
        if (!child) return undefined;
        args.push(child);
      } else (args.push(t), i++);
    }
    i++;
    return { keyword: keyword.toUpperCase(), args };
  };
  return node();
}

const children = (n: WktNode, ...keywords: string[]) => n.args.filter((a): a is WktNode => typeof a === 'object' && keywords.includes(a.keyword));
const child = (n: WktNode, ...keywords: string[]) => children(n, ...keywords)[0];
const nameOf = (n: WktNode | undefined) => (n && typeof n.args[0] === 'string' ? n.args[0] : '');
/** "D_OSGB_1936", "OSGB 1936" and "OSGB_1936" alike. */
export const normaliseCrsName = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

const PROJECTED = ['PROJCS', 'PROJCRS', 'PROJECTEDCRS'];
const GEOGRAPHIC = ['GEOGCS', 'GEOGCRS', 'GEODCRS', 'GEOGRAPHICCRS', 'GEODETICCRS'];

/** The EPSG code named on the CRS itself (AUTHORITY["EPSG","27700"] or ID["EPSG",27700]). */
function epsgAuthority(root: WktNode): number | undefined {
  const id = child(root, 'AUTHORITY', 'ID');
  if (!id || String(id.args[0]).toUpperCase() !== 'EPSG') return undefined;
  const code = Number(id.args[1]);
  return Number.isInteger(code) && code > 0 ? code : undefined;
}

function datumName(root: WktNode): string {
  const geog = GEOGRAPHIC.includes(root.keyword) ? root : child(root, ...GEOGRAPHIC, 'BASEGEOGCRS', 'BASEGEODCRS');
  return normaliseCrsName(nameOf(geog && child(geog, 'DATUM', 'TRF', 'GEODETICDATUM')));
}

function parameters(root: WktNode): Map<string, number> {
  const params = [...children(root, 'PARAMETER'), ...children(child(root, 'CONVERSION') ?? { keyword: '', args: [] }, 'PARAMETER')];
  return new Map(params.map((p) => [normaliseCrsName(nameOf(p)), Number(p.args[1])]));
}

const close = (a: number | undefined, b: number, tolerance: number) => a !== undefined && Math.abs(a - b) <= tolerance;

/** OSGB36 Transverse Mercator with the National Grid's origin, scale and false origin, whatever it is called. */
function isBritishNationalGrid(root: WktNode): boolean {
  if (normaliseCrsName(nameOf(root)).includes('britishnationalgrid')) return true;
  if (!datumName(root).includes('osgb')) return false;
  const method = normaliseCrsName(nameOf(child(root, 'PROJECTION')) || nameOf(child(child(root, 'CONVERSION') ?? root, 'METHOD')));
  if (!method.includes('transversemercator')) return false;
  const p = parameters(root);
  return (
    close(p.get('latitudeoforigin') ?? p.get('latitudeofnaturalorigin'), 49, 1e-9) &&
    close(p.get('centralmeridian') ?? p.get('longitudeofnaturalorigin'), -2, 1e-9) &&
    close(p.get('scalefactor') ?? p.get('scalefactoratnaturalorigin'), 0.9996012717, 1e-10) &&
    close(p.get('falseeasting'), 400_000, 1e-3) &&
    close(p.get('falsenorthing'), -100_000, 1e-3)
  );
}

/**
 * The SRID a CRS WKT describes, when we can be sure without a database: its own EPSG authority,
 * British National Grid (named or by its parameters, as ESRI writes it), or WGS 84 lon/lat.
 */
function sridFromWkt(root: WktNode): number | undefined {
  const authority = epsgAuthority(root);
  if (authority !== undefined) return authority;
  if (PROJECTED.includes(root.keyword)) return isBritishNationalGrid(root) ? 27700 : undefined;
  if (GEOGRAPHIC.includes(root.keyword)) {
    const datum = datumName(root);
    if (datum === 'wgs1984' || datum === 'dwgs1984' || datum === 'wgs84' || datum === 'worldgeodeticsystem1984') return 4326;
  }
  return undefined;
}

/** Looks a CRS name up among PostGIS's EPSG definitions ("WGS 84 / Pseudo-Mercator" ↔ "WGS_84_Pseudo_Mercator"). */
async function sridFromCrsName(knex: Knex, name: string): Promise<number | undefined> {
  const key = normaliseCrsName(name);
  if (key.length < 3) return undefined;
  const rows = (await knex('spatial_ref_sys')
    .where('auth_name', 'EPSG')
    .whereRaw(`lower(regexp_replace(split_part(srtext, '"', 2), '[^a-zA-Z0-9]', '', 'g')) = ?`, [key])
    .select('srid')
    .limit(2)) as Array<{ srid: number }>;
  return rows.length === 1 ? rows[0]!.srid : undefined;
}

/** What the WKT alone says: its SRID when certain (see sridFromWkt), and its name. Undefined when it is not WKT. */
export function crsOfWkt(wkt: string): { srid: number | undefined; name: string } | undefined {
  const root = parseCrsWkt(wkt);
  return root && { srid: sridFromWkt(root), name: nameOf(root) };
}

/** The SRID of a CRS given as WKT (a .prj, a GeoPackage SRS definition), and the name to quote when it is unknown. */
export async function identifyCrs(knex: Knex, wkt: string): Promise<{ srid: number | undefined; name: string }> {
  const crs = crsOfWkt(wkt);
  if (!crs) return { srid: undefined, name: wkt.trim().slice(0, 80) };
  return { srid: crs.srid ?? (await sridFromCrsName(knex, crs.name)), name: crs.name };
}
