import { type FixtureServer, startFixtureServer } from './fixture-server';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A council's own web site on another origin (another port of 127.0.0.1): its page frames the
 * address given as ?src=, in a 360-pixel-wide iframe, as the embed snippet does on a phone-sized column.
 */
export function startEmbedHost(): Promise<FixtureServer> {
  return startFixtureServer((_req, res, url) => {
    const src = url.searchParams.get('src') ?? 'about:blank';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="cy"><head><meta charset="utf-8"><title>Cyngor Caerdydd – ymgynghoriad</title></head>
<body style="font-family: sans-serif; margin: 16px">
  <h1 style="font-size: 20px">Cyngor Caerdydd</h1>
  <iframe src="${escapeHtml(src)}" title="Ymgynghoriad" width="360" height="720" style="border: 1px solid #000"></iframe>
</body></html>`);
  });
}

/** The host's page framing `src`. */
export const hostPage = (host: FixtureServer, src: string) => `${host.origin}/?src=${encodeURIComponent(src)}`;
