import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { LayerRepository } from '../layers/layer-repository';
import { LAYER_DATA_SCHEMA } from '../layers/data-schema';
import type { Clock } from '../platform/clock';
import { queryRows } from '../platform/db/database';
import { sha256Hex } from '../platform/sha256';
import { qualifiedName } from '../platform/sql/identifier';
import { type Consultation, stateOf } from './consultation';
import { type Lang, REFUSALS, ResponseRefused, type Said } from './refusals';
import { LIMITS, type ResponseInput } from './response-input';
import type { NewResponse, ResponseRepository } from './response-repository';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface SubmissionDeps {
  knex: Knex;
  layers: LayerRepository;
  responses: ResponseRepository;
  clock: Clock;
  limit: { responses: number; windowMs: number };
}

/**
 * A citizen's response, checked in the order a person would want to hear about problems (is it
 * open, is it a person, what they wrote, where they put it), then rate-limited and de-duplicated
 * under a lock on their address, and stored pending moderation. Returns a receipt shown once, with
 * which they can see their response's status.
 */
export async function submitResponse(deps: SubmissionDeps, c: Consultation, input: ResponseInput, clientAddress: string) {
  const lang: Lang = input.lang ?? 'en';
  const refuse = (status: number, code: string, said: Said, extra: Record<string, unknown> = {}, headers?: Record<string, string>) => new ResponseRefused(status, code, said, lang, extra, headers);
  const now = deps.clock();

  if (input.website) throw refuse(400, 'automated', REFUSALS.automated());
  const state = stateOf(c, now);
  if (state === 'scheduled') throw refuse(403, 'not-open', REFUSALS.notOpen(c.opensAt));
  if (state === 'closed') throw refuse(403, 'closed', REFUSALS.closed(c.closesAt));
  if (!c.commentKinds.includes(input.kind)) throw refuse(400, 'kind-not-allowed', REFUSALS.kindNotAllowed(input.kind), { field: 'kind' });

  const comment = input.comment.trim();
  if (!comment) throw refuse(400, 'no-comment', REFUSALS.noComment(), { field: 'comment' });
  if (comment.length > LIMITS.comment) throw refuse(400, 'too-long', REFUSALS.tooLong('comment', LIMITS.comment), { field: 'comment' });
  const name = input.name?.trim() || undefined;
  const email = input.email?.trim() || undefined;
  if (name && name.length > LIMITS.name) throw refuse(400, 'too-long', REFUSALS.tooLong('name', LIMITS.name), { field: 'name' });
  if (email && (email.length > LIMITS.email || !EMAIL.test(email))) throw refuse(400, 'bad-email', REFUSALS.badEmail(), { field: 'email' });
  if (input.category !== undefined && !c.categories.some((k) => k.id === input.category)) throw refuse(400, 'unknown-category', REFUSALS.unknownCategory(input.category), { field: 'category' });
  const answers = checkAnswers(c, input.answers ?? {}, refuse);

  const place = await placeOf(deps, c, input, refuse);
  const [inside] = await queryRows<{ inside: boolean }>(deps.knex, 'SELECT ST_CoveredBy(?, area) AS inside FROM consultations WHERE id = ?', [place.geometry, c.id]);
  if (!inside?.inside) throw refuse(400, 'outside-area', REFUSALS.outsideArea(), { field: 'geometry' });

  const clientHash = sha256Hex(`${c.id}:${clientAddress}`);
  const contentHash = sha256Hex(JSON.stringify([input.kind, comment.toLowerCase().replace(/\s+/g, ' '), place.key]));
  const receipt = randomBytes(18).toString('base64url');
  const response: NewResponse = {
    consultationId: c.id,
    kind: input.kind,
    geometry: place.geometry,
    ...place.feature,
    comment,
    category: input.category,
    sentiment: input.sentiment,
    answers,
    lang,
    receiptHash: sha256Hex(receipt),
    clientHash,
    contentHash,
    contact: { name, email },
    createdAt: now,
    status: c.moderation === 'post' ? 'approved' : 'pending',
  };
  const id = await deps.knex.transaction(async (trx) => {
    // One client's responses are counted and stored one at a time, so a burst cannot pass the limit together.
    await trx.raw("SELECT pg_advisory_xact_lock(hashtext('haenau:response:' || ?))", [clientHash]);
    const recent = await deps.responses.fromClientSince(c.id, clientHash, new Date(now.getTime() - deps.limit.windowMs), trx);
    if (recent.length >= deps.limit.responses) {
      const seconds = Math.max(1, Math.ceil((recent[recent.length - deps.limit.responses]!.getTime() + deps.limit.windowMs - now.getTime()) / 1000));
      throw refuse(429, 'too-many', REFUSALS.tooMany(Math.ceil(seconds / 60)), { retryAfter: seconds }, { 'Retry-After': String(seconds) });
    }
    if (await deps.responses.isDuplicate(c.id, clientHash, contentHash, trx)) throw refuse(409, 'duplicate', REFUSALS.duplicate());
    return deps.responses.insert(response, trx);
  });
  return { id, status: response.status, receipt };
}

type Refuse = (status: number, code: string, said: Said, extra?: Record<string, unknown>) => ResponseRefused;

function checkAnswers(c: Consultation, given: Record<string, string>, refuse: Refuse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, raw] of Object.entries(given)) {
    const q = c.questions.find((x) => x.id === id);
    if (!q) throw refuse(400, 'unknown-question', REFUSALS.unknownQuestion(id), { field: `answers.${id}` });
    const answer = raw.trim();
    if (!answer) continue;
    if (q.type === 'choice' && !q.options!.some((o) => o.id === answer)) throw refuse(400, 'bad-choice', REFUSALS.badChoice(id), { field: `answers.${id}` });
    if (answer.length > LIMITS.answer) throw refuse(400, 'too-long', REFUSALS.tooLong('answer', LIMITS.answer), { field: `answers.${id}` });
    out[id] = answer;
  }
  for (const q of c.questions) if (q.required && out[q.id] === undefined) throw refuse(400, 'answer-required', REFUSALS.answerRequired(q.id), { field: `answers.${q.id}` });
  return out;
}

/**
 * Where the response is, as SQL for its geometry: the drawn point or line, or the picked feature of a
 * consulted layer (its current version); `key` identifies the place for duplicate detection.
 */
async function placeOf(deps: SubmissionDeps, c: Consultation, input: ResponseInput, refuse: Refuse) {
  if (input.kind === 'feature') {
    if (!input.feature) throw refuse(400, 'needs-feature', REFUSALS.needsFeature(), { field: 'feature' });
    const featureId = String(input.feature.id);
    const layer = c.layers.includes(input.feature.layer) ? await deps.layers.get(input.feature.layer) : undefined;
    if (!layer?.currentVersion) throw refuse(400, 'unknown-feature', REFUSALS.unknownFeature(input.feature.layer, featureId), { field: 'feature' });
    const table = qualifiedName(LAYER_DATA_SCHEMA, layer.currentVersion.tableName);
    // As everywhere in the API, a feature without an id of its own is known by its row number (fid).
    const fid = /^\d{1,9}$/.test(featureId) ? Number(featureId) : -1;
    const [row] = await queryRows<{ g: string }>(
      deps.knex,
      `SELECT ST_AsEWKT(geom) AS g FROM ${table} WHERE (feature_id = ? OR (feature_id IS NULL AND fid = ?)) AND geom IS NOT NULL LIMIT 1`,
      [featureId, fid],
    );
    if (!row) throw refuse(400, 'unknown-feature', REFUSALS.unknownFeature(input.feature.layer, featureId), { field: 'feature' });
    return {
      geometry: deps.knex.raw('ST_GeomFromEWKT(?)', [row.g]),
      key: `${layer.slug}/${layer.currentVersion.version}/${featureId}`,
      feature: { layerSlug: layer.slug, layerVersion: layer.currentVersion.version, featureId },
    };
  }
  const g = input.geometry;
  const wanted = input.kind === 'point' ? 'Point' : 'LineString';
  if (!g || g.type !== wanted) throw refuse(400, 'needs-geometry', REFUSALS.needsGeometry(input.kind), { field: 'geometry' });
  const positions = (g.type === 'Point' ? [g.coordinates] : g.coordinates).map((p) => [p[0]!, p[1]!] as [number, number]);
  if (positions.some(([x, y]) => !(Math.abs(x) <= 180 && Math.abs(y) <= 90))) throw refuse(400, 'bad-geometry', REFUSALS.badGeometry('a position is outside longitude −180..180, latitude −90..90'), { field: 'geometry' });
  if (g.type === 'LineString' && (positions.length < 2 || positions.length > LIMITS.lineVertices)) {
    throw refuse(400, 'bad-geometry', REFUSALS.badGeometry(`a line needs 2 to ${LIMITS.lineVertices} points`), { field: 'geometry' });
  }
  const geojson = JSON.stringify({ type: g.type, coordinates: g.type === 'Point' ? positions[0] : positions });
  return { geometry: deps.knex.raw('ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)', [geojson]), key: geojson, feature: {} };
}
