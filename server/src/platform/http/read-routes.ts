import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ParsedUrlQuery, parse as parseQueryString } from 'node:querystring';
import type { Logger } from 'pino';
import { InvalidParameterError } from '../errors';
import { writeProblem } from './problem';
import { requestBase } from './links';
import { PUBLIC_READ_HEADERS } from './cors';

/** What a read handler gets: the request, its path parameters, and its query parsed once. */
export interface ReadRequest {
  readonly raw: IncomingMessage;
  readonly params: Readonly<Record<string, string>>;
  readonly query: ParsedUrlQuery;
  /** scheme://host as the client used them (a proxy on loopback may say https). */
  readonly base: string;
}

export type ReadHandler = (req: ReadRequest, res: ServerResponse) => Promise<void>;

export interface ReadRoute {
  /** An Express-style path: `/ogc/collections/:collectionId/items`. */
  path: string;
  handler: ReadHandler;
}

/** `/a/:b/c` → a case-insensitive regex with one named group per parameter and an optional trailing slash, as Express matches. */
function compile(path: string): RegExp {
  const source = path.replace(/[.+*?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, '(?<$1>[^/]+)');
  return new RegExp(`^${source}/?$`, 'i');
}

function decodeParams(groups: Record<string, string>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(groups)) {
    try {
      params[name] = decodeURIComponent(value);
    } catch {
      throw new InvalidParameterError(`The path's ${name} "${value}" has a malformed %-escape.`);
    }
  }
  return params;
}

/**
 * The anonymous GET endpoints that carry nearly all the load (feature pages, tiles) served straight
 * on node:http, ahead of Express. Measured on the items benchmark, Express's per-request machinery
 * cost as much Node CPU as the page itself; these routes need none of it (no session, no body, no
 * static files). Everything else falls through to `next` (the Express app). Errors are the same
 * application/problem+json the app sends.
 */
export function readRoutes(routes: ReadRoute[], log: Logger) {
  const compiled = routes.map((r) => ({ pattern: compile(r.path), handler: r.handler }));
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    for (const route of compiled) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      for (const [name, value] of Object.entries(PUBLIC_READ_HEADERS)) res.setHeader(name, value);
      const handle = async () => {
        const params = decodeParams(match.groups ?? {});
        await route.handler({ raw: req, params, query: q < 0 ? {} : parseQueryString(url.slice(q + 1)), base: requestBase(req) }, res);
      };
      handle().catch((err: unknown) => writeProblem(res, err, url, log));
      return;
    }
    next();
  };
}
