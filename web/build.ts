import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { basemapData } from './basemap';

const WEB = import.meta.dirname;
const DIST = path.join(WEB, 'dist');
const STAMP = path.join(DIST, '.built');
/** What the built app depends on: a change to any of these makes the build stale. */
const INPUTS = ['src', 'public', 'index.html', 'publish', 'consult', 'vite.config.ts', 'build.ts', 'basemap.ts', '../package-lock.json'];

function newestMtime(p: string): number {
  const s = statSync(p, { throwIfNoEntry: false });
  if (!s) return 0;
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(p).map((f) => newestMtime(path.join(p, f))));
}

export function isWebBuildStale(): boolean {
  const built = statSync(STAMP, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return INPUTS.some((i) => newestMtime(path.join(WEB, i)) > built);
}

/** Every text file gets a .gz twin, so the server sends compressed bytes without compressing per request. */
function gzipTextFiles(dir: string): void {
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) gzipTextFiles(p);
    else if (/\.(js|css|json|html|svg|map)$/.test(f)) writeFileSync(`${p}.gz`, gzipSync(readFileSync(p), { level: 9 }));
  }
}

/** Builds the viewer into web/dist: Vite for the app, then the offline basemap data, then gzip twins. */
export async function buildWeb(o: { ifStale?: boolean; log?: (m: string) => void } = {}): Promise<boolean> {
  const log = o.log ?? ((m: string) => console.log(m));
  if (o.ifStale && !isWebBuildStale()) return false;
  log('building the web app (web/ → web/dist)…');
  const { build } = await import('vite');
  await build({ configFile: path.join(WEB, 'vite.config.ts'), logLevel: 'warn' });
  mkdirSync(path.join(DIST, 'basemap'), { recursive: true });
  const { land, borders } = basemapData();
  writeFileSync(path.join(DIST, 'basemap', 'land.json'), JSON.stringify(land));
  writeFileSync(path.join(DIST, 'basemap', 'borders.json'), JSON.stringify(borders));
  gzipTextFiles(DIST);
  writeFileSync(STAMP, new Date().toISOString());
  log('web app built');
  return true;
}

if (process.argv[1] === import.meta.filename) {
  buildWeb({ ifStale: process.argv.includes('--if-stale') }).catch((err) => {
    console.error('the web app could not be built:', err);
    process.exit(1);
  });
}
