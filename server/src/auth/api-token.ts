import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../platform/sha256';

const PREFIX = 'hnu_';

/** A fresh token: 32 random bytes, shown once; only its SHA-256 is stored (it is not a password, so no KDF). */
export function generateApiToken(): { token: string; hash: string; prefix: string } {
  const token = PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashApiToken(token), prefix: token.slice(0, PREFIX.length + 6) };
}

export function hashApiToken(token: string): string {
  return sha256Hex(token);
}

export function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}
