import { InvalidParameterError } from '../errors';

/** An optional single string parameter; repeated parameters are refused rather than silently merged. */
export function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new InvalidParameterError(`${name} must be given once.`);
  return value;
}

export function integerParam(value: unknown, name: string, o: { min: number; max: number; fallback: number }): number {
  const s = optionalString(value, name);
  if (s === undefined) return o.fallback;
  const n = Number(s);
  if (!Number.isInteger(n) || n < o.min || n > o.max) {
    throw new InvalidParameterError(`${name} must be a whole number from ${o.min} to ${o.max}; got "${s}".`);
  }
  return n;
}
