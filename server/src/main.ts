import { readdir, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { type AppDeps, createDeps } from './deps';
import { checkedUploads } from './ingest/checked-uploads';
import { dropVersionTable, versionTableName } from './ingest/version-table';
import { createLogger } from './platform/log';
import { seedSampleConsultation } from './consultations/sample-consultation';
import { SAMPLE_ORGANISATION, seedSampleLayers } from './seed-samples';

/** Process entry: config → database (migrated) → samples on first start → HTTP → graceful stop. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, (msg) => console.warn(msg));
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  log.info({ database: config.database.kind === 'pglite' ? `embedded PGlite in ${config.database.dataDir}` : 'PostgreSQL (DATABASE_URL)' }, 'starting');
  const deps = await createDeps(config, log);
  log.info({ capabilities: deps.db.capabilities }, 'database ready');
  await cleanUpInterruptedUploads(deps);
  if (config.seed && (await seedSampleLayers(deps))) {
    log.info('sample layers published (first start)');
    const consultation = await seedSampleConsultation(deps);
    if (consultation) log.info(`sample consultation at /consult/${consultation}`);
  }
  void deps.tilePreparer.prepareMissing();
  await deps.harvestJobs.start(deps.sourceService);

  const app = createApp(deps);
  const server: Server = await new Promise((resolve) => {
    const s = createServer(app).listen(config.port, config.host, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  console.log(
    [
      '',
      `Haenau is running at ${url}`,
      `  map: ${url}/   catalogue: ${url}/api/layers   health: ${url}/healthz`,
      '',
      'To publish, get a publisher token for an organisation, e.g. the sample one:',
      config.adminToken
        ? `  curl -X POST -H "Authorization: Bearer $HAENAU_ADMIN_TOKEN" -H "Content-Type: application/json" -d '{"name":"my token"}' ${url}/api/organisations/${SAMPLE_ORGANISATION.id}/tokens`
        : config.database.kind === 'pglite'
          ? `  stop the server, run: npm run admin -- token create ${SAMPLE_ORGANISATION.id} "my token"   (or start with HAENAU_ADMIN_TOKEN set to use the HTTP API)`
          : `  npm run admin -- token create ${SAMPLE_ORGANISATION.id} "my token"`,
      '',
    ].join('\n'),
  );

  const stop = async (signal: string) => {
    log.info({ signal }, 'stopping');
    server.close();
    server.closeAllConnections();
    await deps.harvestJobs.stop();
    await deps.db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

/** Uploads whose process died mid-way: marked failed, their half-loaded tables dropped. */
async function cleanUpInterruptedUploads(deps: AppDeps): Promise<void> {
  const ids = await deps.uploads.failStale(deps.db.kind === 'pglite' ? 0 : 10);
  for (const id of ids) await dropVersionTable(deps.db.knex, versionTableName(id));
  if (ids.length > 0) deps.log.warn({ uploads: ids }, 'uploads interrupted by a previous stop were marked failed');
  await checkedUploads({ ...deps, limits: deps.config.limits }).discardAbandoned();
  // Files spooled by uploads of other formats that a crash left behind (another process's may be in use: only old ones).
  const staleBefore = Date.now() - (deps.db.kind === 'pglite' ? 0 : 6 * 3600_000);
  for (const name of await readdir(tmpdir()).catch(() => [] as string[])) {
    if (!name.startsWith('haenau-upload-')) continue;
    const dir = path.join(tmpdir(), name);
    const { mtimeMs } = await stat(dir).catch(() => ({ mtimeMs: Infinity }));
    if (mtimeMs < staleBefore) await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

main().catch((err) => {
  console.error('Haenau could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
