import { loadConfig } from './config';
import { createDeps } from './deps';

const USAGE = `Operator commands (run with the server stopped when using the embedded database):
  npm run admin -- org create <id> "<name>" ["<Welsh name>"]
  npm run admin -- org list
  npm run admin -- token create <organisation-id> "<token name>"
  npm run admin -- token revoke <organisation-id> <token-id>`;

/** `npm run admin -- …`: bootstrap organisations and publisher tokens straight in the database. */
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
