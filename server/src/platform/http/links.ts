import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** Express's `trust proxy: 'loopback'`: only a proxy on this machine may say which scheme the client used. */
function fromLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** Absolute base URL of this request (scheme and host as the client used them). */
export function requestBase(req: IncomingMessage): string {
  let scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  const forwarded = req.headers['x-forwarded-proto'];
  if (typeof forwarded === 'string' && fromLoopback(req.socket.remoteAddress)) {
    const first = forwarded.split(',', 1)[0]!.trim();
    if (first) scheme = first;
  }
  return `${scheme}://${req.headers.host ?? ''}`;
}

/** `base` + `path` with the request's query, some parameters replaced (undefined removes one). */
export function linkWithQuery(base: string, path: string, query: Readonly<Record<string, unknown>>, changes: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (typeof v === 'string') params.set(k, v);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) params.delete(k);
    else params.set(k, String(v));
  }
  const qs = params.toString();
  return `${base}${path}${qs ? `?${qs}` : ''}`;
}
