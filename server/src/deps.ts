import { createOrganisationRepository, type OrganisationRepository } from './auth/organisation-repository';
import { createSessionRepository, type SessionRepository } from './auth/session-repository';
import { createSignInLimits, type SignInLimits } from './auth/sign-in-limits';
import { createUserRepository, type UserRepository } from './auth/user-repository';
import type { Config } from './config';
import { createConsultationRepository, type ConsultationRepository } from './consultations/consultation-repository';
import { type ConsultationService, createConsultationService } from './consultations/consultation-service';
import { createResponseRepository, type ResponseRepository } from './consultations/response-repository';
import type { SubmissionDeps } from './consultations/response-submission';
import { createResponsesLayer } from './consultations/responses-layer';
import { createFeatureStore, type FeatureStore } from './features/feature-store';
import { createUploadRepository, type UploadRepository } from './ingest/upload-repository';
import { createLayerRepository, type LayerRepository } from './layers/layer-repository';
import { createLayerService, type LayerService } from './layers/layer-service';
import { createPublishedLayers, type PublishedLayers } from './layers/published-layers';
import type { Database } from './platform/db/database';
import { type DatabaseTarget, openDatabase } from './platform/db/open-database';
import { migrateToLatest } from './platform/db/migrate';
import { type Clock, systemClock } from './platform/clock';
import { createLogger, type Logger } from './platform/log';
import { TileCache } from './tiles/tile-cache';
import { createTilePreparer, type TilePreparer } from './tiles/tile-preparation';
import { createTileStore, type TileStore } from './tiles/tile-store';
import { createHarvestJobs, type HarvestJobs } from './sources/harvest-jobs';
import { createFetcher } from './sources/safe-fetch';
import { retrying } from './sources/source-http';
import { SOURCE_KINDS } from './sources/source-kinds';
import { createSourceRepository, type SourceRepository } from './sources/source-repository';
import { createSourceService, type SourceService } from './sources/source-service';

/** Everything a handler needs, built once and passed in; no module keeps state of its own. */
export interface AppDeps {
  config: Config;
  log: Logger;
  db: Database;
  /** "Now" for sessions, lockouts and sign-in limits; tests move it instead of waiting. */
  clock: Clock;
  organisations: OrganisationRepository;
  users: UserRepository;
  sessions: SessionRepository;
  signInLimits: SignInLimits;
  layers: LayerRepository;
  layerService: LayerService;
  uploads: UploadRepository;
  featureStore: FeatureStore;
  published: PublishedLayers;
  tiles: TileStore;
  tilePreparer: TilePreparer;
  sources: SourceRepository;
  sourceService: SourceService;
  /** Harvest workers and scheduler; started by main (and by tests that harvest). */
  harvestJobs: HarvestJobs;
  consultations: ConsultationRepository;
  responses: ResponseRepository;
  consultationService: ConsultationService;
  submission: SubmissionDeps;
}

export function databaseTarget(config: Config): DatabaseTarget {
  return config.database.kind === 'pglite'
    ? config.database
    : { kind: 'postgres', url: config.database.url, poolMax: config.poolMax, statementTimeoutMs: config.statementTimeoutMs };
}

/** Wires the repositories and services over an open database. */
export function buildDeps(config: Config, db: Database, log: Logger = createLogger(config.logLevel), clock: Clock = systemClock): AppDeps {
  const organisations = createOrganisationRepository(db.knex);
  const layers = createLayerRepository(db.knex);
  const published = createPublishedLayers(layers);
  const uploads = createUploadRepository(db.knex);
  const tilePreparer = createTilePreparer({ db, log, onReady: published.invalidate });
  const sources = createSourceRepository(db.knex);
  const h = config.harvest;
  const fetcher = retrying(createFetcher({ allowlist: h.allowlist, timeoutMs: h.timeoutMs, maxBytes: h.maxResponseBytes, maxRedirects: 5 }), { retries: h.retries, backoffMs: h.backoffMs });
  const harvestDeps = { db, layers, uploads, log, tilePreparer, limits: config.limits, onPublished: published.invalidate, sources, fetcher, sourceKinds: SOURCE_KINDS, harvestLimits: { pageSize: h.pageSize, maxBytes: h.maxBytes } };
  const harvestJobs = createHarvestJobs(db, () => harvestDeps, log, h.schedulerIntervalMs);
  const layerService = createLayerService({ knex: db.knex, layers, organisations, onChange: published.invalidate });
  const consultations = createConsultationRepository(db.knex);
  const responses = createResponseRepository(db.knex);
  const responsesLayer = createResponsesLayer({ db, layers, uploads, log, tilePreparer, limits: config.limits, onPublished: published.invalidate, layerService, consultations, knex: db.knex, onChange: published.invalidate });
  return {
    config,
    log,
    db,
    clock,
    organisations,
    users: createUserRepository(db.knex, organisations),
    sessions: createSessionRepository(db.knex, config.accounts.session, clock),
    signInLimits: createSignInLimits(db.knex, config.accounts.signInPerIp, clock),
    layers,
    layerService,
    uploads,
    featureStore: createFeatureStore(db),
    published,
    tiles: createTileStore(db, new TileCache(config.tileCacheBytes)),
    tilePreparer,
    sources,
    sourceService: createSourceService({ sources, fetcher, sourceKinds: SOURCE_KINDS, queue: harvestJobs.queue, log }),
    harvestJobs,
    consultations,
    responses,
    consultationService: createConsultationService({ knex: db.knex, consultations, responses, organisations, layers, responsesLayer, clock, log }),
    submission: { knex: db.knex, layers, responses, clock, limit: config.consultations.responsesPerClient },
  };
}

/** Opens the configured database, migrates it, and wires everything. */
export async function createDeps(config: Config, log: Logger = createLogger(config.logLevel)): Promise<AppDeps> {
  const db = await openDatabase(databaseTarget(config));
  const applied = await migrateToLatest(db.knex);
  if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');
  return buildDeps(config, db, log);
}
