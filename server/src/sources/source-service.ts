import type { Logger } from 'pino';
import type { Layer } from '../layers/layer';
import { AppError, InvalidParameterError, NotFoundError } from '../platform/errors';
import { interval, nextRun, parseSchedule } from './schedule';
import type { HarvestQueue } from './harvest-queue';
import { type RemoteSource, type ServiceDescription, type SourceKind, SourceResponseError } from './remote-source';
import { FetchRefusedError, type Fetcher } from './safe-fetch';
import type { Harvest, HarvestTrigger, LayerSource, SourceRepository } from './source-repository';

export type HealthStatus = 'ok' | 'stale' | 'failing' | 'pending';

export interface SourceServiceDeps {
  sources: SourceRepository;
  fetcher: Fetcher;
  sourceKinds: Record<SourceKind, RemoteSource>;
  queue: HarvestQueue;
  log: Logger;
}

export const KINDS: SourceKind[] = ['wfs', 'ogcapi', 'arcgis', 'geojson'];

/** A remote service could not be read: 422 with the reason in words (the publisher's URL is the input). */
class SourceUnreadableError extends AppError {
  constructor(message: string) {
    super(422, 'Source not readable', message);
  }
}

function checkUrl(input: unknown): string {
  if (typeof input !== 'string' || input.trim() === '') throw new InvalidParameterError('Give the service\'s address as "url", e.g. https://maps.example.gov.uk/geoserver/wfs.');
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new InvalidParameterError(`"url" is not a web address: ${JSON.stringify(input).slice(0, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidParameterError('"url" must start with http:// or https://.');
  return url.href;
}

function checkKind(input: unknown): SourceKind | undefined {
  if (input === undefined || input === null || input === '') return undefined;
  if (KINDS.includes(input as SourceKind)) return input as SourceKind;
  throw new InvalidParameterError(`"kind" must be one of ${KINDS.join(', ')}.`);
}

/** ok: the last harvest worked and is recent; stale: no success for over two scheduled periods (plus an hour); failing: the last harvest failed; pending: none has worked yet. */
export function statusOf(source: LayerSource, now = Date.now()): HealthStatus {
  const period = interval(source.schedule);
  const staleAfter = period === null ? null : 2 * period + 3600_000;
  if (source.consecutiveFailures > 0) return 'failing';
  if (!source.lastSuccessAt) return 'pending';
  if (staleAfter !== null && now - source.lastSuccessAt.getTime() > staleAfter) return 'stale';
  return 'ok';
}

/** Registering sources, asking for harvests, the scheduler's tick, and each source's health. */
export function createSourceService(deps: SourceServiceDeps) {
  const { sources, queue, log } = deps;

  /** What the service at `url` offers; tries the kind given, else the kinds the URL looks like first. */
  async function inspect(rawUrl: unknown, rawKind?: unknown): Promise<ServiceDescription> {
    const url = checkUrl(rawUrl);
    const kind = checkKind(rawKind);
    const parsed = new URL(url);
    const order = kind ? [kind] : [...KINDS.filter((k) => deps.sourceKinds[k].recognises(parsed)), ...KINDS.filter((k) => !deps.sourceKinds[k].recognises(parsed))];
    const reasons: string[] = [];
    for (const k of order) {
      try {
        return await deps.sourceKinds[k].describe(url, deps.fetcher);
      } catch (err) {
        // A refused address or a dead host fails every kind the same way: say so once.
        if (err instanceof FetchRefusedError) throw new SourceUnreadableError(err.message);
        if (!(err instanceof SourceResponseError)) throw err;
        reasons.push(`as ${k}: ${err.message}`);
      }
    }
    throw new SourceUnreadableError(`Haenau could not read ${url} as a service it knows. ${reasons.join(' ')}`);
  }

  async function requestHarvest(layerId: number, trigger: HarvestTrigger): Promise<Harvest> {
    const pending = await sources.pendingHarvest(layerId);
    if (pending) return pending;
    const harvest = await sources.queueHarvest(layerId, trigger);
    if (!(await queue.enqueue(harvest))) {
      await sources.finishHarvest(harvest.id, { status: 'skipped', message: 'A harvest of this source was already waiting.' });
      return (await sources.pendingHarvest(layerId)) ?? harvest;
    }
    return harvest;
  }

  return {
    inspect,
    requestHarvest,

    /** Points a layer at a remote service and queues its first harvest. */
    async register(layer: Layer, body: Record<string, unknown>, createdBy: string): Promise<{ source: LayerSource; harvest: Harvest; service: ServiceDescription }> {
      const featureType = body.typeName ?? body.collectionId ?? body.layerId ?? body.featureType;
      if (featureType !== undefined && typeof featureType !== 'string' && typeof featureType !== 'number') throw new InvalidParameterError('typeName / collectionId / layerId must be a string.');
      const schedule = parseSchedule(body.schedule);
      const service = await inspect(body.url, body.kind);
      const offered = service.featureTypes;
      let chosen = featureType === undefined ? undefined : String(featureType);
      if (chosen === undefined) {
        if (offered.length !== 1) throw new InvalidParameterError(`The service offers ${offered.length} feature types; name one with typeName, collectionId or layerId: ${offered.map((f) => f.id).join(', ')}.`);
        chosen = offered[0]!.id;
      }
      const match = offered.find((f) => f.id === chosen) ?? offered.find((f) => f.id.split(':').pop() === chosen);
      if (!match) throw new InvalidParameterError(`The service does not offer "${chosen}"; it offers ${offered.map((f) => f.id).join(', ') || 'nothing'}.`);
      const source = await sources.put({
        layerId: layer.id,
        kind: service.kind,
        url: service.url,
        featureType: service.kind === 'geojson' ? null : match.id,
        schedule,
        nextRunAt: nextRun(schedule),
        createdBy,
      });
      log.info({ layer: layer.slug, kind: source.kind, url: source.url, featureType: source.featureType, schedule }, 'source registered');
      const harvest = await requestHarvest(layer.id, 'registration');
      return { source, harvest, service };
    },

    async requireSource(layer: Layer): Promise<LayerSource> {
      const source = await sources.get(layer.id);
      if (!source) throw new NotFoundError(`Layer "${layer.slug}" has no remote source; register one with PUT /api/layers/${layer.slug}/source.`);
      return source;
    },

    async health(layer: Layer) {
      const source = await this.requireSource(layer);
      const history = await sources.history(layer.id, 20);
      return {
        layer: layer.slug,
        status: statusOf(source),
        source: { kind: source.kind, url: source.url, featureType: source.featureType, schedule: source.schedule },
        lastSuccess: source.lastSuccessAt,
        lastAttempt: source.lastAttemptAt,
        lastError: source.lastError,
        consecutiveFailures: source.consecutiveFailures,
        nextRun: source.nextRunAt,
        servingVersion: layer.currentVersion?.version ?? null,
        harvests: history,
      };
    },

    /** Every source of an organisation's layers with its status: what the portal's layer list shows. */
    async organisationHealth(organisationId: string) {
      return (await sources.byOrganisation(organisationId)).map((s) => ({
        layer: s.slug,
        status: statusOf(s),
        kind: s.kind,
        url: s.url,
        schedule: s.schedule,
        lastSuccess: s.lastSuccessAt,
        lastError: s.lastError,
        nextRun: s.nextRunAt,
      }));
    },

    /** One scheduler pass: sources now due are claimed (by one process only) and queued. */
    async tick(): Promise<number> {
      const due = await sources.claimDue((s) => nextRun(s.schedule));
      for (const s of due) await requestHarvest(s.layerId, 'schedule');
      return due.length;
    },
  };
}

export type SourceService = ReturnType<typeof createSourceService>;
