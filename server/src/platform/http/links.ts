import type { Request } from 'express';

/** Absolute base URL of this request (scheme and host as the client used them). */
export function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host')}`;
}

/** The request's own URL with some query parameters replaced (undefined removes one). */
export function withQuery(req: Request, path: string, changes: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') params.set(k, v);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) params.delete(k);
    else params.set(k, String(v));
  }
  const qs = params.toString();
  return `${baseUrl(req)}${path}${qs ? `?${qs}` : ''}`;
}
