import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from './helpers/clients';
import { useTestApp } from './helpers/test-app';
import { screenshot, startViewer } from './helpers/viewer';

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
  let viewer: Awaited<ReturnType<typeof startViewer>>;
  let base: string;

  beforeAll(async () => {
    const site = express();
    site.use('/maplibre', express.static(path.resolve('node_modules/maplibre-gl/dist')));
    site.get('/map', (req, res) => {
      res.type('html').send(page(`${base}${String(req.query.style)}`));
    });
    site.use(ctx.t.app);
    viewer = await startViewer(site);
    base = viewer.base;
  });
  afterAll(() => viewer?.close());

  async function draw(styleUrl: string, name: string) {
    const tab = await viewer.browser.newPage({ viewport: { width: 800, height: 600 } });
    try {
      await tab.goto(`${base}/map?style=${encodeURIComponent(styleUrl)}`);
      await tab.waitForFunction(() => (window as unknown as { drawn?: object }).drawn !== undefined, null, { timeout: 30_000 });
      await screenshot(tab, name);
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
