import { z } from 'zod';
import { SENTIMENTS } from './consultation';

/** The most a citizen may write, in characters. */
export const LIMITS = { comment: 2000, answer: 1000, name: 200, email: 254, lineVertices: 500 };

const position = z.tuple([z.number(), z.number()]).or(z.tuple([z.number(), z.number(), z.number()]));

/**
 * A response's shape only; what it says is checked in response-checks.ts, where each refusal is
 * worded for the citizen in both languages. Lengths here are generous caps against abuse.
 */
export const responseInputSchema = z
  .object({
    kind: z.enum(['point', 'line', 'feature']),
    geometry: z
      .union([
        z.object({ type: z.literal('Point'), coordinates: position }).strict(),
        z.object({ type: z.literal('LineString'), coordinates: z.array(position).max(10_000) }).strict(),
      ])
      .optional(),
    feature: z.object({ layer: z.string().max(63), id: z.union([z.string().max(200), z.number()]) }).strict().optional(),
    comment: z.string().max(20_000),
    category: z.string().max(100).optional(),
    sentiment: z.enum(SENTIMENTS).optional(),
    answers: z.record(z.string().max(100), z.string().max(20_000)).optional(),
    name: z.string().max(2000).optional(),
    email: z.string().max(2000).optional(),
    lang: z.enum(['en', 'cy']).optional(),
    /** The honeypot: hidden from people, filled in by form-filling robots. */
    website: z.string().max(2000).optional(),
  })
  .strict();
export type ResponseInput = z.infer<typeof responseInputSchema>;
