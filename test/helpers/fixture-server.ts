import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureServer {
  origin: string;
  /** Every request's path and query, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** A local HTTP server on 127.0.0.1 for a test to stand in for a council's service. */
export async function startFixtureServer(handle: (req: IncomingMessage, res: ServerResponse, url: URL) => unknown): Promise<FixtureServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname + url.search);
    Promise.resolve(handle(req, res, url)).catch((err) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** MapServer msautotest captures start with CGI header lines and a blank line: the body after them. */
export function cgiBody(text: string): string {
  const m = /\r?\n\r?\n/.exec(text);
  return m && /^[A-Za-z-]+:/.test(text) ? text.slice(m.index + m[0].length) : text;
}
