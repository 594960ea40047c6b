import { Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../auth/authenticate';
import { InvalidParameterError } from '../platform/errors';
import { parseBody } from '../platform/http/parse-body';
import { integerParam, optionalString } from '../platform/http/query-params';
import { consultationToJson, createConsultationSchema, updateConsultationSchema } from './consultation';
import { responsesCsv, responsesGeoJson } from './consultation-export';
import type { ConsultationRepository } from './consultation-repository';
import { type ConsultationService, mayModerate, requireModerator } from './consultation-service';
import { responseInputSchema } from './response-input';
import type { ResponseRepository } from './response-repository';
import { type SubmissionDeps, submitResponse } from './response-submission';

const moderationSchema = z
  .object({
    status: z.enum(['approved', 'rejected']).optional(),
    reason: z.string().trim().min(1).max(1000).optional(),
    redact: z.object({ contact: z.literal(true).optional(), comment: z.string().max(2000).optional() }).strict().optional(),
  })
  .strict()
  .refine((m) => m.status !== undefined || m.redact !== undefined, { message: 'say what to do: a status (approved or rejected) and/or redact' });

const statusParam = (v: unknown) => {
  const s = optionalString(v, 'status');
  if (s === undefined || s === 'pending' || s === 'approved' || s === 'rejected') return s;
  throw new InvalidParameterError('status must be pending, approved or rejected.', { parameter: 'status' });
};

/** Consultations, citizens' responses (public), their moderation and export (the organisation's moderators). */
export function consultationsRouter(deps: { consultationService: ConsultationService; consultations: ConsultationRepository; responses: ResponseRepository; submission: SubmissionDeps }): Router {
  const router = Router();
  const service = deps.consultationService;
  const counts = (id: string) => deps.responses.counts(id);

  router.post('/api/consultations', async (req, res) => {
    const c = await service.create(principalOf(req), parseBody(createConsultationSchema, req.body));
    res.status(201).location(`/api/consultations/${c.id}`).json(consultationToJson(c, service.now(), await counts(c.id)));
  });

  // Each with its approved counts; the organisation's moderators also see how many wait and were rejected.
  router.get('/api/consultations', async (req, res) => {
    const list = await deps.consultations.list(optionalString(req.query.organisation, 'organisation'));
    const summaries = await deps.responses.summaries(list.map((c) => c.id));
    const p = principalOf(req);
    res.json({
      consultations: list.map((c) => {
        const { approved, byCategory, pending, rejected } = summaries.get(c.id)!;
        return { ...consultationToJson(c, service.now(), { approved, byCategory }), ...(mayModerate(p, c.organisationId) ? { queue: { pending, rejected } } : {}) };
      }),
    });
  });

  router.get('/api/consultations/:id', async (req, res) => {
    const c = await service.require(req.params.id);
    res.set('Cache-Control', 'no-cache').json(consultationToJson(c, service.now(), await counts(c.id)));
  });

  router.patch('/api/consultations/:id', async (req, res) => {
    const c = await service.update(principalOf(req), req.params.id, parseBody(updateConsultationSchema, req.body));
    res.json(consultationToJson(c, service.now(), await counts(c.id)));
  });

  router.post('/api/consultations/:id/responses', async (req, res) => {
    const c = await service.require(req.params.id);
    const input = parseBody(responseInputSchema, req.body);
    const r = await submitResponse(deps.submission, c, input, req.ip ?? req.socket.remoteAddress ?? 'unknown');
    // Under post-moderation a response is public at once: the public layer follows before the answer.
    if (r.status === 'approved') await service.responsesChanged(c);
    const href = `/api/consultations/${c.id}/responses/${r.id}`;
    res.status(201).location(href).json({ ...r, links: { self: href } });
  });

  router.get('/api/consultations/:id/responses', async (req, res) => {
    const c = await service.require(req.params.id);
    const limit = integerParam(req.query.limit, 'limit', { min: 1, max: 1000, fallback: 100 });
    const offset = integerParam(req.query.offset, 'offset', { min: 0, max: 10_000_000, fallback: 0 });
    const out = await service.listResponses(principalOf(req), c, { status: statusParam(req.query.status), limit, offset });
    res.set('Cache-Control', out.moderator ? 'private, no-store' : 'no-cache').json({ consultation: c.id, ...out });
  });

  // A citizen's own response, with the receipt they were given (header, or ?receipt= for a link).
  router.get('/api/consultations/:id/responses/:responseId', async (req, res) => {
    const c = await service.require(req.params.id);
    const receipt = req.get('X-Response-Receipt') ?? optionalString(req.query.receipt, 'receipt');
    res.set('Cache-Control', 'private, no-store').json(await service.ownResponse(c, req.params.responseId, receipt));
  });

  router.patch('/api/consultations/:id/responses/:responseId', async (req, res) => {
    const c = await service.require(req.params.id);
    const m = parseBody(moderationSchema, req.body);
    const r = await service.moderate(principalOf(req), c, req.params.responseId, { status: m.status, reason: m.reason, redactContact: m.redact?.contact, redactComment: m.redact?.comment });
    res.json(r);
  });

  router.get('/api/consultations/:id/export', async (req, res) => {
    const c = await service.require(req.params.id);
    requireModerator(principalOf(req), c.organisationId);
    const f = optionalString(req.query.f, 'f') ?? 'geojson';
    if (f !== 'csv' && f !== 'geojson') throw new InvalidParameterError('f must be csv or geojson.', { parameter: 'f' });
    const withContacts = req.query.contacts === 'true';
    const all = await service.exportResponses(principalOf(req), c);
    res.set('Cache-Control', 'private, no-store').attachment(`${c.id}-responses.${f === 'csv' ? 'csv' : 'geojson'}`);
    if (f === 'csv') res.type('text/csv; charset=utf-8').send(responsesCsv(all, withContacts));
    else res.type('application/geo+json').send(JSON.stringify(responsesGeoJson(c, all, withContacts)));
  });

  // Approved responses as an ordinary versioned layer (it is also kept up to date as moderators approve).
  router.post('/api/consultations/:id/publish-layer', async (req, res) => {
    const c = await service.require(req.params.id);
    const out = await service.publishLayer(principalOf(req), c);
    res.status(out.newVersion ? 201 : 200).json(out);
  });

  return router;
}
