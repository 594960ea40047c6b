import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MAPSERV } from './clients';
import { type FixtureServer, startFixtureServer } from './fixture-server';

export interface MapServerLayer {
  name: string;
  /** The PostGIS table (geometry column geom, EPSG:4326) and its unique id column. */
  table: string;
  id: string;
  type: 'POINT' | 'LINE' | 'POLYGON';
}

/** libpq connection words for MapServer's CONNECTION, from a postgres:// URL. */
function connectionWords(databaseUrl: string): string {
  const u = new URL(databaseUrl);
  return [`host=${u.hostname}`, `port=${u.port || 5432}`, `dbname=${u.pathname.slice(1)}`, `user=${decodeURIComponent(u.username) || 'postgres'}`, ...(u.password ? [`password=${decodeURIComponent(u.password)}`] : [])].join(' ');
}

function mapfile(origin: string, databaseUrl: string, layers: MapServerLayer[], geojson: boolean): string {
  const layerBlocks = layers.map(
    (l) => `
  LAYER
    NAME "${l.name}"
    TYPE ${l.type}
    STATUS ON
    CONNECTIONTYPE POSTGIS
    CONNECTION "${connectionWords(databaseUrl)}"
    DATA "geom FROM ${l.table} USING UNIQUE ${l.id} USING SRID=4326"
    EXTENT -8 49 2 56
    TEMPLATE "ttt"
    PROJECTION "init=epsg:4326" END
    METADATA
      "ows_title" "${l.name}"
      "gml_include_items" "all"
      "gml_exclude_items" "geom"
      "gml_featureid" "${l.id}"
      "gml_types" "auto"
    END
  END`,
  );
  return `MAP
  NAME "fixture"
  EXTENT -8 49 2 56
  PROJECTION "init=epsg:4326" END
  ${geojson ? 'OUTPUTFORMAT NAME "geojson" DRIVER "OGR/GEOJSON" MIMETYPE "application/json" FORMATOPTION "STORAGE=stream" FORMATOPTION "FORM=SIMPLE" END' : ''}
  WEB
    METADATA
      "ows_title" "Fixture council WFS"
      "ows_enable_request" "*"
      "ows_srs" "EPSG:4326 EPSG:27700 EPSG:3857"
      "wfs_onlineresource" "${origin}/mapserv?map=fixture&"
      ${geojson ? '"wfs_getfeature_formatlist" "geojson"' : ''}
    END
  END
${layerBlocks.join('\n')}
END
`;
}

/**
 * A real MapServer 8 WFS on loopback: each request runs the mapserv CGI program, as a web server
 * would, over the given PostGIS tables. GML only, unless `geojson` adds its OGR GeoJSON output.
 */
export async function startMapServer(databaseUrl: string, layers: MapServerLayer[], o: { geojson?: boolean } = {}): Promise<FixtureServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'haenau-mapserver-'));
  const config = path.join(dir, 'mapserver.conf');
  const map = path.join(dir, 'fixture.map');
  writeFileSync(config, `CONFIG\n  ENV\n    MS_MAP_NO_PATH "1"\n  END\n  MAPS\n    fixture "${map}"\n  END\nEND\n`);
  const server = await startFixtureServer(
    (req, res, url) =>
      new Promise<void>((resolve) => {
        const env = { MAPSERVER_CONFIG_FILE: config, REQUEST_METHOD: 'GET', QUERY_STRING: url.search.slice(1), SERVER_NAME: '127.0.0.1', SCRIPT_NAME: '/mapserv', HTTP_HOST: req.headers.host ?? '' };
        execFile(MAPSERV, [], { env, encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 }, (err, stdout) => {
          if (err && stdout.length === 0) {
            res.writeHead(500).end(String(err));
            return resolve();
          }
          const split = stdout.indexOf('\r\n\r\n') >= 0 ? stdout.indexOf('\r\n\r\n') : stdout.indexOf('\n\n');
          const sep = stdout[split] === 0x0d ? 4 : 2;
          const head = stdout.subarray(0, split).toString('latin1').split(/\r?\n/);
          const headers: Record<string, string> = {};
          let status = 200;
          for (const line of head) {
            const i = line.indexOf(':');
            if (i < 0) continue;
            const name = line.slice(0, i).trim().toLowerCase();
            const value = line.slice(i + 1).trim();
            if (name === 'status') status = Number.parseInt(value, 10);
            else headers[name] = value;
          }
          res.writeHead(status, headers).end(stdout.subarray(split + sep));
          resolve();
        });
      }),
  );
  writeFileSync(map, mapfile(server.origin, databaseUrl, layers, o.geojson ?? false));
  return {
    ...server,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
