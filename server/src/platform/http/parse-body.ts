import type { z } from 'zod';
import { InvalidParameterError } from '../errors';

/** Validates a JSON body against a schema; the 400 names every field that is wrong. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const fields = result.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', problem: i.message }));
  const summary = fields.map((f) => `${f.field}: ${f.problem}`).join('; ');
  throw new InvalidParameterError(`The request body has problems — ${summary}.`, { fields });
}
