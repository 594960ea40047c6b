import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
/** Text in English and, optionally, Welsh; Welsh falls back to English where it is missing. */
const bilingual = (max: number) => z.object({ en: text(max), cy: text(max).nullish() }).strict();
const key = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'use 1–40 lower-case letters, digits and hyphens');

export const COMMENT_KINDS = ['point', 'line', 'feature'] as const;
export type CommentKind = (typeof COMMENT_KINDS)[number];
export const SENTIMENTS = ['support', 'neutral', 'oppose'] as const;

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const ring = z.array(position).min(4).max(10_000);
/** Where comments may be placed: a GeoJSON Polygon or MultiPolygon in longitude/latitude. */
export const areaSchema = z.union([
  z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(100) }).strict(),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1).max(100)).min(1).max(100) }).strict(),
]);

const question = z
  .object({
    id: key,
    text: bilingual(500),
    type: z.enum(['text', 'choice']),
    options: z.array(z.object({ id: key, label: bilingual(200) }).strict()).min(2).max(20).optional(),
    required: z.boolean().optional(),
  })
  .strict()
  .refine((q) => (q.type === 'choice') === (q.options !== undefined), { message: 'a choice question needs options, and only a choice question has them' });

/** An origin a consultation may be embedded in, e.g. https://www.cardiff.gov.uk. */
const origin = z.string().regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i, 'use an origin such as https://www.example.gov.uk (scheme, host and optional port, no path)');

export const createConsultationSchema = z
  .object({
    organisation: z.string().optional(),
    title: bilingual(200),
    description: bilingual(5000),
    questions: z.array(question).max(20).optional(),
    categories: z.array(z.object({ id: key, label: bilingual(100) }).strict()).max(30).optional(),
    commentKinds: z.array(z.enum(COMMENT_KINDS)).min(1).max(3),
    layers: z.array(z.string().max(63)).max(10).optional(),
    area: areaSchema,
    opensAt: z.string().datetime({ offset: true }),
    closesAt: z.string().datetime({ offset: true }),
    frameAncestors: z.array(origin).max(20).optional(),
    moderation: z.enum(['pre', 'post']).optional(),
  })
  .strict()
  .refine((c) => Date.parse(c.closesAt) > Date.parse(c.opensAt), { message: 'closesAt must be after opensAt', path: ['closesAt'] })
  .refine((c) => new Set((c.questions ?? []).map((q) => q.id)).size === (c.questions ?? []).length, { message: 'question ids must be unique', path: ['questions'] });
export type CreateConsultationInput = z.infer<typeof createConsultationSchema>;

/** A PATCH changes the members it names; the organisation is fixed. */
export const updateConsultationSchema = z
  .object({
    title: bilingual(200),
    description: bilingual(5000),
    questions: z.array(question).max(20),
    categories: z.array(z.object({ id: key, label: bilingual(100) }).strict()).max(30),
    commentKinds: z.array(z.enum(COMMENT_KINDS)).min(1).max(3),
    layers: z.array(z.string().max(63)).max(10),
    area: areaSchema,
    opensAt: z.string().datetime({ offset: true }),
    closesAt: z.string().datetime({ offset: true }),
    frameAncestors: z.array(origin).max(20),
    moderation: z.enum(['pre', 'post']),
  })
  .partial()
  .strict();
export type UpdateConsultationInput = z.infer<typeof updateConsultationSchema>;

export type Bilingual = { en: string; cy?: string | null };
export type Question = z.infer<typeof question>;

export interface Consultation {
  id: string;
  organisationId: string;
  /** Who runs it, as the organisation calls itself in English and Welsh. */
  organisationName: Bilingual;
  title: Bilingual;
  description: Bilingual;
  questions: Question[];
  categories: Array<{ id: string; label: Bilingual }>;
  commentKinds: CommentKind[];
  layers: string[];
  area: GeoJSON.Polygon | GeoJSON.MultiPolygon;
  opensAt: Date;
  closesAt: Date;
  frameAncestors: string[];
  /** pre: nothing public until approved (the default); post: public at once, moderators take down. */
  moderation: 'pre' | 'post';
  responsesLayer: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** scheduled → open → closed, by the server's clock. */
export function stateOf(c: Pick<Consultation, 'opensAt' | 'closesAt'>, now: Date): 'scheduled' | 'open' | 'closed' {
  if (now < c.opensAt) return 'scheduled';
  return now < c.closesAt ? 'open' : 'closed';
}

export function consultationToJson(c: Consultation, now: Date, counts?: { approved: number; byCategory: Record<string, number> }) {
  return {
    id: c.id,
    organisation: c.organisationId,
    organisationName: c.organisationName,
    title: c.title,
    description: c.description,
    questions: c.questions,
    categories: c.categories,
    commentKinds: c.commentKinds,
    layers: c.layers,
    area: c.area,
    opensAt: c.opensAt,
    closesAt: c.closesAt,
    state: stateOf(c, now),
    frameAncestors: c.frameAncestors,
    moderation: c.moderation,
    responsesLayer: c.responsesLayer,
    ...(counts ? { counts } : {}),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    links: [
      { rel: 'self', href: `/api/consultations/${c.id}` },
      { rel: 'responses', href: `/api/consultations/${c.id}/responses` },
      { rel: 'page', href: `/consult/${c.id}` },
      { rel: 'embed', href: `/embed/${c.id}` },
    ],
  };
}
