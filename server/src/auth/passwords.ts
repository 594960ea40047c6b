import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost: N = 2^15, r = 8, p = 1 — 32 MiB of memory and about 0.1 s per hash on one core. */
const PARAMS = { N: 32768, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Passwords shorter than this are refused. */
export const MIN_PASSWORD_LENGTH = 12;
/** Longer input is refused before hashing, so a huge body cannot pin a core. */
export const MAX_PASSWORD_LENGTH = 1024;

/**
 * The most used passwords (NCSC/HIBP top 20, and their common 12+ character stretches); the
 * length rule already stops the short ones, the list stops the long habits.
 */
const COMMON_PASSWORDS = new Set([
  '123456', '123456789', 'qwerty', 'password', '111111', '12345678', 'abc123', '1234567', 'password1', '12345',
  '1234567890', '123123', '000000', 'iloveyou', '1234', '1q2w3e4r5t', 'qwertyuiop', '123', 'monkey', 'dragon',
  '123456789012', '1234567890123', 'password1234', 'passwordpassword', 'qwerty123456', 'qwertyuiop123',
  '1q2w3e4r5t6y', 'iloveyou1234', 'welcome12345', 'letmein12345', 'changeme1234', '111111111111', '000000000000',
]);

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }, keyBytes: number): Promise<Buffer> {
  // Node refuses when 128·N·r reaches maxmem (32 MiB by default): give it twice what the parameters need.
  const maxmem = 256 * params.N * params.r;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyBytes, { ...params, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `scrypt$N=32768,r=8,p=1$<salt base64>$<hash base64>`: the parameters travel with the hash, so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, PARAMS, KEY_BYTES);
  return `scrypt$N=${PARAMS.N},r=${PARAMS.r},p=${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

interface ParsedHash {
  params: { N: number; r: number; p: number };
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | undefined {
  const m = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!m) return undefined;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Bounds, so a tampered row cannot ask for gigabytes.
  if (N < 2 || N > 2 ** 20 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return undefined;
  const key = Buffer.from(m[5]!, 'base64');
  if (key.length < 16 || key.length > 128) return undefined;
  return { params: { N, r, p }, salt: Buffer.from(m[4]!, 'base64'), key };
}

/** Whether the password matches the stored hash; compared in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.params, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

let dummyHash: Promise<string> | undefined;

/** Spends what a real check costs, for an email that has no account, so timing does not tell. */
export async function spendVerifyTime(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await dummyHash);
  return false;
}

/** Why this new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | undefined {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`;
  if (length > MAX_PASSWORD_LENGTH) return `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'That password is one of the most used ones; choose another.';
  if (new Set(lower).size === 1) return 'The password must not be one character repeated.';
  if (email && lower === email.toLowerCase()) return 'The password must not be the email address.';
  return undefined;
}

/** A random password for an account created without one (shown once). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
