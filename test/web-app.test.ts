import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../server/src/config';
import { webAppRouter } from '../server/src/web/web-app.routes';

describe('the web app routes', () => {
  it('hand the viewer the configured basemap and let the page fetch it', async () => {
    const url = 'https://tiles.example.org/styles/basic.json';
    const config = loadConfig({ BASEMAP_STYLE_URL: url });
    const app = express().use(webAppRouter({ basemapStyleUrl: config.basemapStyleUrl }));
    expect((await request(app).get('/viewer-config.json').expect(200)).body).toEqual({ basemapStyleUrl: url });
    const page = await request(app).get('/').expect(200);
    expect(page.headers['content-security-policy']).toMatch(/connect-src 'self' https:/);
  });

  it('use the offline basemap by default, with a CSP that allows nothing remote', async () => {
    const app = express().use(webAppRouter({}));
    expect((await request(app).get('/viewer-config.json').expect(200)).body).toEqual({ basemapStyleUrl: null });
    const page = await request(app).get('/').expect(200);
    expect(page.headers['content-security-policy']).toContain("connect-src 'self';");
    expect(page.headers['content-security-policy']).not.toContain('https:');
    const land = await request(app).get('/basemap/land.json').set('Accept-Encoding', 'gzip').expect(200);
    expect(land.headers['content-encoding']).toBe('gzip');
    expect(land.body.type).toBe('FeatureCollection');
  });

  it('say plainly when the app has not been built', async () => {
    const app = express().use(webAppRouter({ distDir: '/nonexistent' }));
    const res = await request(app).get('/').expect(503);
    expect(res.text).toContain('npm run build:web');
  });
});
