import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { OrganisationRepository } from '../auth/organisation-repository';
import { describePrincipal, organisationOf, type Principal, requireWriteAccess } from '../auth/principal';
import type { LayerRepository } from '../layers/layer-repository';
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock';
import { ForbiddenError, InvalidParameterError, NotFoundError, UnauthorizedError } from '../platform/errors';
import type { Consultation, CreateConsultationInput, UpdateConsultationInput } from './consultation';
import type { ConsultationRepository } from './consultation-repository';
import type { ResponsesLayer } from './responses-layer';
import type { ResponseRepository, ResponseStatus, StoredResponse } from './response-repository';
import { sha256Hex } from '../platform/sha256';

const EXPORT_PAGE = 1000;

/** Moderation is for the organisation's people with the moderator or admin role, and the operator. */
export function mayModerate(p: Principal, organisationId: string): boolean {
  if (p.kind === 'operator') return true;
  return p.kind === 'user' && p.organisationId === organisationId && (p.roles.includes('moderator') || p.roles.includes('admin'));
}

export function requireModerator(p: Principal, organisationId: string): void {
  if (p.kind === 'anonymous') throw new UnauthorizedError();
  if (mayModerate(p, organisationId)) return;
  const own = organisationOf(p);
  if (own !== undefined && own !== organisationId) throw new ForbiddenError(`You belong to organisation "${own}" and cannot moderate "${organisationId}"'s consultations.`);
  throw new ForbiddenError('Moderating responses needs a signed-in person with the moderator or admin role in the organisation.');
}

/** Consultations and their moderation: who may do what, and what each change touches. */
export function createConsultationService(deps: {
  knex: Knex;
  consultations: ConsultationRepository;
  responses: ResponseRepository;
  organisations: OrganisationRepository;
  layers: LayerRepository;
  responsesLayer: ResponsesLayer;
  clock: Clock;
  log: Logger;
}) {
  const { consultations, responses } = deps;

  async function require(id: string): Promise<Consultation> {
    const c = await consultations.get(id);
    if (!c) throw new NotFoundError(`There is no consultation "${id}".`);
    return c;
  }

  /** Named layers must be published; an area must be a valid polygon. */
  async function checkReferences(input: Partial<CreateConsultationInput>): Promise<void> {
    for (const slug of input.layers ?? []) {
      if (!(await deps.layers.get(slug))?.currentVersion) throw new InvalidParameterError(`layers: there is no published layer "${slug}".`, { field: 'layers' });
    }
    if (input.area) {
      const problem = await consultations.areaProblem(input.area);
      if (problem) throw new InvalidParameterError(`area: the polygon is not valid: ${problem}.`, { field: 'area' });
    }
  }

  /** Responses as moderators see them: with contact details (null once removed) and the moderation trail. */
  async function withTrail(list: StoredResponse[]) {
    const ids = list.map((r) => r.id);
    const [contacts, actions] = await Promise.all([responses.contacts(ids), responses.actions(ids)]);
    return list.map((r) => ({ ...r, contact: contacts.get(r.id) ?? null, moderation: actions.get(r.id) ?? [] }));
  }

  async function requireResponse(c: Consultation, idParam: string): Promise<StoredResponse> {
    const id = Number(idParam);
    if (!Number.isInteger(id) || id < 1) throw new InvalidParameterError('The response id must be a whole number.', { parameter: 'responseId' });
    const r = await responses.get(c.id, id);
    if (!r) throw new NotFoundError(`Consultation "${c.id}" has no response ${id}.`);
    return r;
  }

  return {
    require,
    now: () => deps.clock(),

    async create(p: Principal, input: CreateConsultationInput): Promise<Consultation> {
      const organisationId = input.organisation ?? organisationOf(p);
      if (!organisationId) throw new InvalidParameterError('Say which organisation runs this consultation: "organisation" is required.', { field: 'organisation' });
      requireWriteAccess(p, organisationId);
      await deps.organisations.require(organisationId);
      await checkReferences(input);
      const id = `c-${randomBytes(6).toString('hex')}`;
      await consultations.insert(id, organisationId, describePrincipal(p), input);
      return require(id);
    },

    async update(p: Principal, id: string, input: UpdateConsultationInput): Promise<Consultation> {
      const c = await require(id);
      requireWriteAccess(p, c.organisationId);
      await checkReferences(input);
      const opens = input.opensAt ? new Date(input.opensAt) : c.opensAt;
      const closes = input.closesAt ? new Date(input.closesAt) : c.closesAt;
      if (closes <= opens) throw new InvalidParameterError('closesAt must be after opensAt.', { field: 'closesAt' });
      await consultations.update(id, input);
      return require(id);
    },

    /** Public callers see approved responses; the organisation's moderators see all, with contact details and the trail. */
    async listResponses(p: Principal, c: Consultation, o: { status?: ResponseStatus; limit: number; offset: number }) {
      const moderator = mayModerate(p, c.organisationId);
      const status = moderator ? o.status : 'approved';
      const [list, numberMatched] = await Promise.all([responses.list(c.id, { ...o, status }), responses.count(c.id, status)]);
      if (!moderator) return { moderator, numberMatched, responses: list.map(publicResponse) };
      return { moderator, numberMatched, responses: await withTrail(list) };
    },

    /** Every response, with contact details and trail, for an export (moderators only). */
    async exportResponses(p: Principal, c: Consultation) {
      requireModerator(p, c.organisationId);
      const all = [];
      for (let offset = 0; ; offset += EXPORT_PAGE) {
        const page = await responses.list(c.id, { limit: EXPORT_PAGE, offset });
        all.push(...(await withTrail(page)));
        if (page.length < EXPORT_PAGE) return all;
      }
    },

    /** The citizen's own view of their response, with the receipt they were given. */
    async ownResponse(c: Consultation, idParam: string, receipt: string | undefined) {
      const r = await requireResponse(c, idParam);
      if (!receipt || !(await responses.receiptMatches(c.id, r.id, sha256Hex(receipt)))) throw new NotFoundError(`Consultation "${c.id}" has no response ${r.id} with that receipt.`);
      return { ...publicResponse(r), status: r.status };
    },

    async moderate(p: Principal, c: Consultation, idParam: string, m: { status?: 'approved' | 'rejected'; reason?: string; redactContact?: boolean; redactComment?: string }) {
      requireModerator(p, c.organisationId);
      const r = await requireResponse(c, idParam);
      if (m.status === 'rejected' && !m.reason) throw new InvalidParameterError('reason: say why the response is rejected; the trail keeps it.', { field: 'reason' });
      await responses.moderate(r.id, m, describePrincipal(p));
      // What the public layer shows changes when an approved response is added, removed or redacted.
      // The decision stands even if re-publishing fails; the next change or POST …/publish-layer catches up.
      if (m.status !== undefined || r.status === 'approved') {
        await deps.responsesLayer.sync(c).catch((err) => deps.log.error({ err, consultation: c.id }, 'approved responses not re-published'));
      }
      const [after] = await withTrail([(await responses.get(c.id, r.id))!]);
      return after!;
    },

    /** After a response was published at once (post-moderation); a failure is logged, the response stays stored. */
    responsesChanged: async (c: Consultation): Promise<void> => {
      await deps.responsesLayer.sync(c).catch((err) => deps.log.error({ err, consultation: c.id }, 'approved responses not re-published'));
    },

    async publishLayer(p: Principal, c: Consultation) {
      requireWriteAccess(p, c.organisationId);
      return deps.responsesLayer.sync(c);
    },
  };
}

/** What anyone may see of a response: never contact details, status reasons or the trail. */
export function publicResponse(r: StoredResponse) {
  return {
    id: r.id,
    kind: r.kind,
    geometry: r.geometry,
    layer: r.layer,
    layerVersion: r.layerVersion,
    featureId: r.featureId,
    comment: r.comment,
    category: r.category,
    sentiment: r.sentiment,
    answers: r.answers,
    lang: r.lang,
    createdAt: r.createdAt,
  };
}

export type ConsultationService = ReturnType<typeof createConsultationService>;
