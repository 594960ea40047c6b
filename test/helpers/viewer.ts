import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { testBackend } from './test-db';

/** An app (the test app, or a site around it) on a real loopback port, and Chromium to open it. */
export async function startViewer(app: http.RequestListener): Promise<{ base: string; browser: Browser; close: () => Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  return {
    base,
    browser,
    close: async () => {
      await browser.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A screenshot in test-results/, named for the back end, to look at after a run. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync('test-results', { recursive: true });
  await page.screenshot({ path: `test-results/${name}-${testBackend()}.png` });
}

/** Waits until MapLibre has drawn everything it asked for (style, sources, tiles). */
export async function mapIdle(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const h = window.haenau;
    return !!h && h.map.isStyleLoaded() && h.map.areTilesLoaded() && h.map.loaded();
  }, null, { timeout: 30_000, polling: 200 });
  await page.waitForTimeout(300);
}

/** How many features MapLibre draws for each overlay (by its vector source). */
export function drawnPerLayer(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const { map } = window.haenau!;
    const out: Record<string, number> = {};
    for (const f of map.queryRenderedFeatures()) if (f.source.startsWith('overlay:')) out[f.source.slice(8)] = (out[f.source.slice(8)] ?? 0) + 1;
    return out;
  });
}

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.2 A/AA rules in the page: the violations that are serious or critical. */
export async function seriousAxeViolations(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  // Evaluated through the DevTools protocol: the page's CSP (rightly) refuses inline scripts.
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}
