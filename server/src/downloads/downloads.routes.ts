import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Router, type Response } from 'express';
import type { FeatureStore } from '../features/feature-store';
import type { Layer } from '../layers/layer';
import type { LayerService } from '../layers/layer-service';
import { licenceUrl } from '../ogcapi-features/collection-json';
import { InvalidParameterError, NotFoundError } from '../platform/errors';
import { CRS84, parseServedCrs } from '../platform/geo/crs';
import { optionalString } from '../platform/http/query-params';
import { csvLine } from './csv';
import { writeGeoPackage } from './geopackage';

/** Writes with backpressure; false once the client has gone, so the loop stops reading the database. */
async function write(res: Response, chunk: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  return !res.destroyed;
}

function startDownload(res: Response, layer: Layer, ext: string, type: string): void {
  const v = layer.currentVersion!;
  res.status(200);
  res.type(type);
  res.set('Content-Disposition', `attachment; filename="${layer.slug}-v${v.version}.${ext}"`);
  res.set('Link', `<${licenceUrl(layer.licence)}>; rel="license"`);
  res.set('X-Licence', layer.licence);
  // Header values must be ISO-8859-1; attribution is sent percent-encoded so Welsh letters survive.
  if (layer.attribution) res.set('X-Attribution', encodeURIComponent(layer.attribution));
}

/** GET /api/layers/{slug}/download?format=geojson|csv|gpkg — the whole current version, read in batches from the database. */
export function downloadsRouter(deps: { layerService: LayerService; featureStore: FeatureStore }): Router {
  const router = Router();
  router.get('/api/layers/:slug/download', async (req, res) => {
    const layer = await deps.layerService.requireLayer(req.params.slug);
    if (!layer.currentVersion) throw new NotFoundError(`Layer "${layer.slug}" has no published data to download.`);
    const format = optionalString(req.query.format, 'format') ?? 'geojson';
    const v = layer.currentVersion;
    if (format === 'geojson') {
      const crs = parseServedCrs(req.query.crs, 'crs') ?? CRS84;
      startDownload(res, layer, 'geojson', 'application/geo+json');
      const head = {
        type: 'FeatureCollection',
        name: layer.slug,
        title: layer.title.en,
        licence: layer.licence,
        licenceUrl: licenceUrl(layer.licence),
        attribution: layer.attribution,
        version: v.version,
        ...(crs.srid === 4326 && !crs.flipAxes ? {} : { crs: { type: 'name', properties: { name: crs.uri } } }),
      };
      let first = true;
      if (!(await write(res, `${JSON.stringify(head).slice(0, -1)},"features":[\n`))) return;
      for await (const batch of deps.featureStore.streamGeoJson(v, { crs })) {
        if (!(await write(res, (first ? '' : ',\n') + batch.join(',\n')))) return;
        first = false;
      }
      res.end('\n]}\n');
      return;
    }
    if (format === 'csv') {
      const geometry = optionalString(req.query.geometry, 'geometry') ?? (v.geometryType === 'Point' ? 'lonlat' : 'wkt');
      if (geometry !== 'wkt' && geometry !== 'lonlat') throw new InvalidParameterError('geometry must be "wkt" or "lonlat".');
      if (geometry === 'lonlat' && v.geometryType !== 'Point') throw new InvalidParameterError('lon/lat columns suit point layers only; use geometry=wkt.');
      const names = v.propertySchema.map((p) => p.name);
      startDownload(res, layer, 'csv', 'text/csv; charset=utf-8');
      if (!(await write(res, `\uFEFF${csvLine(['id', ...names, ...(geometry === 'wkt' ? ['wkt'] : ['lon', 'lat'])])}`))) return;
      for await (const rows of deps.featureStore.streamRows(v)) {
        const text = rows
          .map((r) => {
            const p = JSON.parse(r.p) as Record<string, unknown>;
            return csvLine([r.id, ...names.map((n) => p[n]), ...(geometry === 'wkt' ? [r.wkt] : [r.lon, r.lat])]);
          })
          .join('');
        if (!(await write(res, text))) return;
      }
      res.end();
      return;
    }
    if (format === 'gpkg') {
      // SQLite needs a file: write it in the temp directory from keyset batches, stream it, remove it.
      const dir = await mkdtemp(path.join(tmpdir(), 'haenau-gpkg-'));
      try {
        const file = path.join(dir, `${layer.slug}.gpkg`);
        await writeGeoPackage(file, layer, deps.featureStore.streamRows(v, 5000, 'wkb'));
        startDownload(res, layer, 'gpkg', 'application/geopackage+sqlite3');
        await pipeline(createReadStream(file), res);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      return;
    }
    throw new InvalidParameterError(`format must be "geojson", "csv" or "gpkg", not "${format}".`);
  });
  return router;
}
