// Time from navigation to the citizen map's first idle with three overlays, in headless Chromium on
// localhost, with what it transferred. Starts its own Haenau (embedded database, sample layers).
//   node bench/viewer-load.mjs [runs=7]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const RUNS = Number(process.argv[2] ?? 7);
const PORT = 18_090;
const BASE = `http://127.0.0.1:${PORT}`;
const LAYERS = ['sample-schools', 'sample-active-travel-routes', 'sample-wards'];
const URL_UNDER_TEST = `${BASE}/?lang=en&layers=${LAYERS.join(',')}&map=9.50/52.10000/-3.35000`;

const dataDir = mkdtempSync(path.join(tmpdir(), 'haenau-viewer-bench-'));
const server = spawn('npm', ['start'], { env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', HAENAU_DATA_DIR: dataDir, HAENAU_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
const stop = () => {
  try { process.kill(-server.pid, 'SIGTERM'); } catch {}
  rmSync(dataDir, { recursive: true, force: true });
};
process.on('exit', stop);

async function waitForServer() {
  for (let i = 0; i < 240; i++) {
    try {
      const layers = await (await fetch(`${BASE}/api/layers`)).json();
      const ready = layers.layers.filter((l) => LAYERS.includes(l.slug) && l.currentVersion?.tilesReady);
      if (ready.length === LAYERS.length) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('Haenau did not start');
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

await waitForServer();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
const runs = [];
for (let i = 0; i < RUNS; i++) {
  // A fresh context each time: nothing cached, as for a first visit.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const responses = [];
  page.on('response', async (r) => {
    const size = Number((await r.headerValue('content-length')) ?? 0);
    responses.push({ url: r.url(), size, encoding: (await r.headerValue('content-encoding')) ?? '', type: (await r.headerValue('content-type')) ?? '' });
  });
  await page.goto(URL_UNDER_TEST, { waitUntil: 'commit' });
  const ms = await page.evaluate(async (layers) => {
    for (;;) {
      const h = window.haenau;
      if (h && h.map.isStyleLoaded() && h.map.loaded() && h.map.areTilesLoaded()) {
        const drawn = new Set(h.map.queryRenderedFeatures().map((f) => f.source));
        if (layers.every((l) => drawn.has(`overlay:${l}`))) return performance.now();
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }, LAYERS);
  await page.waitForTimeout(500);
  const bytes = (re) => responses.filter((r) => re.test(new URL(r.url).pathname)).reduce((n, r) => n + r.size, 0);
  runs.push({
    ms,
    js: bytes(/\.js$/),
    css: bytes(/\.css$/),
    gzipped: responses.filter((r) => /\.(js|css)$/.test(r.url)).every((r) => r.encoding === 'gzip'),
    tiles: responses.filter((r) => /\/tiles\/WebMercatorQuad\/\d+\/\d+\/\d+/.test(r.url)).length,
    tileBytes: bytes(/\/tiles\/WebMercatorQuad\/\d+\/\d+\/\d+/),
    basemap: bytes(/^\/basemap\//),
  });
  await context.close();
}
await browser.close();
const ms = runs.map((r) => r.ms);
console.log(JSON.stringify({ url: URL_UNDER_TEST, runs: RUNS, firstIdleMs: { median: Math.round(median(ms)), min: Math.round(Math.min(...ms)), max: Math.round(Math.max(...ms)) }, ...Object.fromEntries(['js', 'css', 'tiles', 'tileBytes', 'basemap', 'gzipped'].map((k) => [k, runs[0][k]])) }, null, 2));
process.exit(0);
