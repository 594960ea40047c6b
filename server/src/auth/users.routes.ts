import { Router } from 'express';
import { z } from 'zod';
import { parseBody } from '../platform/http/parse-body';
import { principalOf } from './authenticate';
import { MAX_PASSWORD_LENGTH } from './passwords';
import { requireOperator, requireOrganisationAdmin, ROLES } from './principal';
import { type UserRepository, userToJson } from './user-repository';

const userInput = z.object({
  email: z.string().trim().max(320).pipe(z.email('must be an email address')),
  name: z.string().trim().min(1).max(200),
  roles: z.array(z.enum(ROLES)).min(1, 'give at least one of admin, publisher, moderator'),
  password: z.string().max(MAX_PASSWORD_LENGTH),
});

/** An organisation's people: the operator creates them; the operator or the organisation's admins list them. */
export function usersRouter(deps: { users: UserRepository }): Router {
  const router = Router();

  router.post('/api/organisations/:id/users', async (req, res) => {
    requireOperator(principalOf(req));
    const input = parseBody(userInput, req.body);
    const user = await deps.users.create({ organisationId: req.params.id, ...input });
    res.status(201).location(`/api/organisations/${user.organisationId}/users`).json(userToJson(user));
  });

  router.get('/api/organisations/:id/users', async (req, res) => {
    requireOrganisationAdmin(principalOf(req), req.params.id);
    const users = await deps.users.listByOrganisation(req.params.id);
    res.json({
      organisation: req.params.id,
      users: users.map((u) => ({ ...userToJson(u), lockedUntil: u.lockedUntil, disabledAt: u.disabledAt })),
    });
  });

  return router;
}
