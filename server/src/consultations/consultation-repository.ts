import type { Knex } from 'knex';
import { queryRows } from '../platform/db/database';
import type { Consultation, CreateConsultationInput, UpdateConsultationInput } from './consultation';

interface Row {
  id: string;
  organisation_id: string;
  organisation_name: Consultation['organisationName'];
  title: Consultation['title'];
  description: Consultation['description'];
  questions: Consultation['questions'];
  categories: Consultation['categories'];
  comment_kinds: Consultation['commentKinds'];
  layers: string[];
  area: Consultation['area'];
  opens_at: Date;
  closes_at: Date;
  frame_ancestors: string[];
  moderation: Consultation['moderation'];
  responses_layer: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, organisation_id, (SELECT json_build_object('en', o.name, 'cy', o.name_cy) FROM organisations o WHERE o.id = organisation_id) AS organisation_name, title, description, questions, categories, comment_kinds, layers,
  ST_AsGeoJSON(area, 7)::json AS area, opens_at, closes_at, frame_ancestors, moderation, responses_layer, created_by, created_at, updated_at`;

const toConsultation = (r: Row): Consultation => ({
  id: r.id,
  organisationId: r.organisation_id,
  organisationName: r.organisation_name,
  title: r.title,
  description: r.description,
  questions: r.questions,
  categories: r.categories,
  commentKinds: r.comment_kinds,
  layers: r.layers,
  area: r.area,
  opensAt: new Date(r.opens_at),
  closesAt: new Date(r.closes_at),
  frameAncestors: r.frame_ancestors,
  moderation: r.moderation,
  responsesLayer: r.responses_layer,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Members of an input as columns; the area goes through PostGIS (made multi, SRID set). */
function columnsOf(knex: Knex, input: Partial<CreateConsultationInput & UpdateConsultationInput>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const json = (v: unknown) => JSON.stringify(v);
  if (input.title) out.title = json(input.title);
  if (input.description) out.description = json(input.description);
  if (input.questions) out.questions = json(input.questions);
  if (input.categories) out.categories = json(input.categories);
  if (input.commentKinds) out.comment_kinds = json([...new Set(input.commentKinds)]);
  if (input.layers) out.layers = json(input.layers);
  if (input.area) out.area = knex.raw('ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))', [JSON.stringify(input.area)]);
  if (input.opensAt) out.opens_at = new Date(input.opensAt);
  if (input.closesAt) out.closes_at = new Date(input.closesAt);
  if (input.frameAncestors) out.frame_ancestors = json(input.frameAncestors);
  if (input.moderation) out.moderation = input.moderation;
  return out;
}

export function createConsultationRepository(knex: Knex) {
  return {
    /** Why an area cannot be used (PostGIS's words), or undefined when it is a valid polygon. */
    async areaProblem(area: unknown): Promise<string | undefined> {
      const [row] = await queryRows<{ valid: boolean; reason: string }>(
        knex,
        'SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason FROM (SELECT ST_GeomFromGeoJSON(?) AS g) t',
        [JSON.stringify(area)],
      );
      return row?.valid ? undefined : (row?.reason ?? 'not a polygon');
    },

    async insert(id: string, organisationId: string, createdBy: string, input: CreateConsultationInput): Promise<void> {
      await knex('consultations').insert({ id, organisation_id: organisationId, created_by: createdBy, ...columnsOf(knex, input) });
    },

    async update(id: string, input: UpdateConsultationInput): Promise<void> {
      await knex('consultations').where({ id }).update({ ...columnsOf(knex, input), updated_at: knex.fn.now() });
    },

    async setResponsesLayer(id: string, slug: string): Promise<void> {
      await knex('consultations').where({ id }).update({ responses_layer: slug });
    },

    async get(id: string): Promise<Consultation | undefined> {
      const [row] = await queryRows<Row>(knex, `SELECT ${COLUMNS} FROM consultations WHERE id = ?`, [id]);
      return row ? toConsultation(row) : undefined;
    },

    /** An organisation's consultations, or every one, newest first. */
    async list(organisationId?: string): Promise<Consultation[]> {
      const rows = organisationId
        ? await queryRows<Row>(knex, `SELECT ${COLUMNS} FROM consultations WHERE organisation_id = ? ORDER BY created_at DESC`, [organisationId])
        : await queryRows<Row>(knex, `SELECT ${COLUMNS} FROM consultations ORDER BY created_at DESC LIMIT 500`);
      return rows.map(toConsultation);
    },
  };
}

export type ConsultationRepository = ReturnType<typeof createConsultationRepository>;
