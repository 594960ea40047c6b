import { generatePassword } from './auth/passwords';
import { ROLES, type Role } from './auth/principal';
import { loadConfig } from './config';
import { createDeps } from './deps';

const USAGE = `Operator commands (run with the server stopped when using the embedded database):
  npm run admin -- org create <id> "<name>" ["<Welsh name>"]
  npm run admin -- org list
  npm run admin -- token create <organisation-id> "<token name>"
  npm run admin -- token revoke <organisation-id> <token-id>
  npm run admin -- user create <organisation-id> <email> "<name>" <roles, e.g. publisher,admin>
      (password from HAENAU_NEW_PASSWORD, else a generated one printed once)
  npm run admin -- user list <organisation-id>`;

function parseRoles(list: string): Role[] {
  const roles = list.split(',').map((r) => r.trim()).filter(Boolean);
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (roles.length === 0 || unknown.length > 0) throw new Error(`Roles must be a comma-separated list of ${ROLES.join(', ')}; got "${list}".`);
  return roles as Role[];
}

/** `npm run admin -- …`: bootstrap organisations, publisher tokens and users straight in the database. */
async function run(args: string[]): Promise<void> {
  const [noun, verb, ...rest] = args;
  const config = loadConfig({ ...process.env, HAENAU_LOG_LEVEL: process.env.HAENAU_LOG_LEVEL ?? 'warn' });
  const deps = await createDeps(config);
  try {
    if (noun === 'org' && verb === 'create' && rest[0] && rest[1]) {
      const org = await deps.organisations.create({ id: rest[0], name: rest[1], nameCy: rest[2] ?? null });
      console.log(`Created organisation ${org.id} (${org.name}).`);
    } else if (noun === 'org' && verb === 'list') {
      for (const o of await deps.organisations.list()) console.log(`${o.id}\t${o.name}${o.nameCy ? ` / ${o.nameCy}` : ''}`);
    } else if (noun === 'token' && verb === 'create' && rest[0]) {
      const t = await deps.organisations.issueToken(rest[0], rest[1] ?? 'publisher');
      console.log(`Publisher token ${t.id} for ${t.organisationId} (shown once, keep it safe):\n${t.token}`);
    } else if (noun === 'token' && verb === 'revoke' && rest[0] && rest[1]) {
      const ok = await deps.organisations.revokeToken(rest[0], Number(rest[1]));
      console.log(ok ? `Revoked token ${rest[1]}.` : `No live token ${rest[1]} for ${rest[0]}.`);
    } else if (noun === 'user' && verb === 'create' && rest[0] && rest[1] && rest[2] && rest[3]) {
      const given = process.env.HAENAU_NEW_PASSWORD;
      const password = given || generatePassword();
      const user = await deps.users.create({ organisationId: rest[0], email: rest[1], name: rest[2], roles: parseRoles(rest[3]), password });
      console.log(`Created user ${user.id} ${user.email} in ${user.organisationId} (${user.roles.join(', ')}).`);
      if (!given) console.log(`Password (shown once; they can change it after signing in):\n${password}`);
    } else if (noun === 'user' && verb === 'list' && rest[0]) {
      for (const u of await deps.users.listByOrganisation(rest[0])) console.log(`${u.id}\t${u.email}\t${u.name}\t${u.roles.join(',')}`);
    } else {
      console.log(USAGE);
      process.exitCode = 2;
    }
  } finally {
    await deps.db.close();
  }
}

run(process.argv.slice(2)).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
