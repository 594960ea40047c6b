import { Router } from 'express';
import { z } from 'zod';
import { InvalidParameterError, NotFoundError } from '../platform/errors';
import { parseBody } from '../platform/http/parse-body';
import { principalOf } from './authenticate';
import type { OrganisationRepository } from './organisation-repository';
import { requireOperator, requireTokenManager } from './principal';

const organisationInput = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'use 2–63 lower-case letters, digits and hyphens'),
  name: z.string().trim().min(1).max(200),
  nameCy: z.string().trim().min(1).max(200).nullish(),
});

const tokenInput = z.object({ name: z.string().trim().min(1).max(100) });

/** Organisations (operator) and their publisher API tokens (operator, or the organisation's signed-in publishers). */
export function organisationsRouter(deps: { organisations: OrganisationRepository }): Router {
  const router = Router();

  router.get('/api/organisations', async (req, res) => {
    requireOperator(principalOf(req));
    res.json({ organisations: await deps.organisations.list() });
  });

  router.post('/api/organisations', async (req, res) => {
    requireOperator(principalOf(req));
    const input = parseBody(organisationInput, req.body);
    const org = await deps.organisations.create(input);
    res.status(201).location(`/api/organisations/${org.id}`).json(org);
  });

  router.post('/api/organisations/:id/tokens', async (req, res) => {
    requireTokenManager(principalOf(req), req.params.id);
    const { name } = parseBody(tokenInput, req.body);
    const issued = await deps.organisations.issueToken(req.params.id, name);
    res.status(201).json({ ...issued, note: 'Keep this token safe: it is shown only once.' });
  });

  router.get('/api/organisations/:id/tokens', async (req, res) => {
    requireTokenManager(principalOf(req), req.params.id);
    res.json({ organisation: req.params.id, tokens: await deps.organisations.listTokens(req.params.id) });
  });

  router.delete('/api/organisations/:id/tokens/:tokenId', async (req, res) => {
    requireTokenManager(principalOf(req), req.params.id);
    const tokenId = Number(req.params.tokenId);
    if (!Number.isSafeInteger(tokenId)) throw new InvalidParameterError('The token id must be a number.');
    if (!(await deps.organisations.revokeToken(req.params.id, tokenId))) {
      throw new NotFoundError(`Organisation "${req.params.id}" has no live token ${tokenId}.`);
    }
    res.status(204).end();
  });

  return router;
}
