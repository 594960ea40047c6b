import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/browser';
import { chromiumAvailable } from './helpers/clients';
import { useTestApp } from './helpers/test-app';
import { testBackend } from './helpers/test-db';

const ctx = useTestApp({ seed: true });
const LAYERS = ['sample-wards', 'sample-active-travel-routes', 'sample-schools'];

/** A bare MapLibre page: the style Haenau generates for the layers, nothing else. */
const page = (styleUrl: string) => `<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/maplibre/maplibre-gl.css"><style>body{margin:0}#map{width:800px;height:600px}</style></head>
<body><div id="map"></div><script src="/maplibre/maplibre-gl.js"></script><script>
window.errors = [];
const map = new maplibregl.Map({ container: 'map', style: ${JSON.stringify(styleUrl)}, center: [-3.25, 52.0], zoom: 9.5, fadeDuration: 0 });
map.on('error', (e) => window.errors.push(String(e.error && e.error.message || e.error)));
map.once('idle', () => {
  const drawn = {};
  for (const f of map.queryRenderedFeatures()) drawn[f.sourceLayer] = (drawn[f.sourceLayer] || 0) + 1;
  window.drawn = drawn;
});
</script></body></html>`;

describe.runIf(chromiumAvailable)('a MapLibre map drawing Haenau tiles in Chromium', () => {
  let server: http.Server;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    const site = express();
    site.use('/maplibre', express.static(path.resolve('node_modules/maplibre-gl/dist')));
    site.get('/map', (req, res) => {
      res.type('html').send(page(`${base}${String(req.query.style)}`));
    });
    site.use(ctx.t.app);
    server = http.createServer(site);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function draw(styleUrl: string, screenshot: string) {
    const tab = await browser.newPage({ viewport: { width: 800, height: 600 } });
    try {
      await tab.goto(`${base}/map?style=${encodeURIComponent(styleUrl)}`);
      await tab.waitForFunction(() => (window as unknown as { drawn?: object }).drawn !== undefined, null, { timeout: 30_000 });
      mkdirSync('test-results', { recursive: true });
      await tab.screenshot({ path: `test-results/${screenshot}-${testBackend()}.png` });
      return await tab.evaluate(() => {
        const w = window as unknown as { drawn: Record<string, number>; errors: string[] };
        return { drawn: w.drawn, errors: w.errors };
      });
    } finally {
      await tab.close();
    }
  }

  it('draws three layers from one dataset tile source with their generated style', async () => {
    const { drawn, errors } = await draw(`/ogc/styles/default?collections=${LAYERS.join(',')}`, 'dataset-tiles');
    expect(errors).toEqual([]);
    for (const layer of LAYERS) expect(drawn[layer] ?? 0).toBeGreaterThan(10);
  });

  it('draws a single layer from its own style', async () => {
    const { drawn, errors } = await draw('/ogc/collections/sample-active-travel-routes/styles/default', 'layer-tiles');
    expect(errors).toEqual([]);
    expect(Object.keys(drawn)).toEqual(['sample-active-travel-routes']);
    expect(drawn['sample-active-travel-routes']).toBeGreaterThan(10);
  });
});
