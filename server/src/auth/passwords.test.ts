import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './passwords';

describe('password hashes', () => {
  it('verifies the password it hashed, and nothing else; each hash has its own salt', async () => {
    const [a, b] = [await hashPassword('a long enough passphrase'), await hashPassword('a long enough passphrase')];
    expect(a).not.toBe(b);
    expect(await verifyPassword('a long enough passphrase', a)).toBe(true);
    expect(await verifyPassword('a long enough passphrasE', a)).toBe(false);
    expect(await verifyPassword('', b)).toBe(false);
  });

  it('refuses stored hashes that are malformed or ask for absurd parameters, without running them', async () => {
    const good = await hashPassword('a long enough passphrase');
    const [, , salt, key] = good.split('$');
    for (const stored of ['', 'plain', `scrypt$N=1073741824,r=8,p=1$${salt}$${key}`, `scrypt$N=32767,r=8,p=1$${salt}$${key}`, `scrypt$N=32768,r=8,p=1$${salt}$AAAA`, `bcrypt$N=32768,r=8,p=1$${salt}$${key}`]) {
      expect(await verifyPassword('a long enough passphrase', stored)).toBe(false);
    }
  });
});

describe('new password rules', () => {
  it('wants 12 characters, not a common password, not one character repeated, not the email', () => {
    expect(passwordProblem('elevenchars')).toMatch(/at least 12/);
    expect(passwordProblem('ÅÅÅÅÅÅÅÅÅÅÅ')).toMatch(/at least 12/); // counted in characters, not bytes
    expect(passwordProblem('QwertyUIOP123')).toMatch(/most used/);
    expect(passwordProblem('zzzzzzzzzzzzzzzz')).toMatch(/repeated/);
    expect(passwordProblem('officer@example.org', 'Officer@example.org')).toMatch(/email/);
    expect(passwordProblem('correct horse battery staple')).toBeUndefined();
  });
});
