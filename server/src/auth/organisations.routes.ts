import { Router } from 'express';
import { z } from 'zod';
import { parseBody } from '../platform/http/parse-body';
import { principalOf } from './authenticate';
import type { OrganisationRepository } from './organisation-repository';
import { requireOperator } from './principal';

const organisationInput = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'use 2–63 lower-case letters, digits and hyphens'),
  name: z.string().trim().min(1).max(200),
  nameCy: z.string().trim().min(1).max(200).nullish(),
});

const tokenInput = z.object({ name: z.string().trim().min(1).max(100) });

/** Operator routes: organisations and their publisher tokens. */
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
    requireOperator(principalOf(req));
    const { name } = parseBody(tokenInput, req.body);
    const issued = await deps.organisations.issueToken(req.params.id, name);
    res.status(201).json({ ...issued, note: 'Keep this token safe: it is shown only once.' });
  });

  return router;
}
