import { type Request, Router } from 'express';
import { z } from 'zod';
import { UnauthorizedError } from '../platform/errors';
import { parseBody } from '../platform/http/parse-body';
import { principalOf } from './authenticate';
import { changePassword } from './change-password';
import { refuseCrossSiteRequest } from './csrf';
import { MAX_PASSWORD_LENGTH } from './passwords';
import type { Principal } from './principal';
import { clearSessionCookie, setSessionCookie } from './session-cookie';
import type { SessionLifetime } from './session-repository';
import { signIn, type SignInDeps } from './sign-in';
import { userToJson } from './user-repository';

const password = z.string().min(1).max(MAX_PASSWORD_LENGTH);
const signInInput = z.object({ email: z.string().trim().min(1).max(320), password });
const passwordChangeInput = z.object({ currentPassword: password, newPassword: password });

function requireSignedIn(req: Request): Extract<Principal, { kind: 'user' }> {
  const p = principalOf(req);
  if (p.kind !== 'user') throw new UnauthorizedError('Not signed in: sign in with POST /api/session.');
  return p;
}

/** Sign in, who am I, sign out, change my password. Session answers are never cached. */
export function sessionsRouter(deps: SignInDeps & { sessionLifetime: SessionLifetime }): Router {
  const router = Router();
  router.use('/api/session', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.post('/api/session', async (req, res) => {
    refuseCrossSiteRequest(req);
    const { email, password } = parseBody(signInInput, req.body);
    const { user, session } = await signIn(deps, { email, password, ip: req.ip ?? req.socket.remoteAddress ?? 'unknown', userAgent: req.get('User-Agent') });
    // Signing in again (perhaps as someone else) ends the session this browser had.
    if (req.userSession) await deps.sessions.remove(req.userSession.idHash);
    setSessionCookie(req, res, session.id, deps.sessionLifetime.maxMs);
    res.status(201).json({ user: userToJson(user), csrfToken: session.csrfToken, expiresAt: session.expiresAt });
  });

  router.get('/api/session', async (req, res) => {
    const p = requireSignedIn(req);
    const user = await deps.users.get(p.userId);
    if (!user) throw new UnauthorizedError('Not signed in: sign in with POST /api/session.');
    res.json({ user: userToJson(user), csrfToken: req.userSession!.csrfToken });
  });

  router.delete('/api/session', async (req, res) => {
    if (req.userSession) await deps.sessions.remove(req.userSession.idHash);
    clearSessionCookie(req, res);
    res.status(204).end();
  });

  router.put('/api/session/password', async (req, res) => {
    const p = requireSignedIn(req);
    await changePassword(deps, p, parseBody(passwordChangeInput, req.body));
    res.status(204).end();
  });

  return router;
}
