import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'haenau_session';

/** The session cookie's value, if the request carries one (the first, when a browser sends several). */
export function readSessionCookie(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** HttpOnly so scripts cannot read it; SameSite=Lax so other sites' forms and fetches do not carry it; Secure over HTTPS. */
function cookieOptions(req: Request) {
  return { httpOnly: true, sameSite: 'lax' as const, path: '/', secure: req.secure };
}

/** Drops any earlier Set-Cookie for the session (e.g. a clear from `authenticate`), so one answer sets it once. */
function withoutSessionCookie(res: Response): void {
  const existing = res.getHeader('Set-Cookie');
  if (existing === undefined) return;
  const kept = (Array.isArray(existing) ? existing : [String(existing)]).filter((c) => !c.startsWith(`${SESSION_COOKIE}=`));
  if (kept.length > 0) res.setHeader('Set-Cookie', kept);
  else res.removeHeader('Set-Cookie');
}

/** Max-Age is the session's whole lifetime; the server ends it sooner when it sits idle. */
export function setSessionCookie(req: Request, res: Response, id: string, maxAgeMs: number): void {
  withoutSessionCookie(res);
  res.cookie(SESSION_COOKIE, id, { ...cookieOptions(req), maxAge: maxAgeMs });
}

export function clearSessionCookie(req: Request, res: Response): void {
  withoutSessionCookie(res);
  res.clearCookie(SESSION_COOKIE, cookieOptions(req));
}
