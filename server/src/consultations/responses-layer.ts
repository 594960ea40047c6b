import { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type { LayerService } from '../layers/layer-service';
import type { LayerRepository } from '../layers/layer-repository';
import { type IngestDeps, publishVersion } from '../ingest/publish-version';
import { splitBody } from '../ingest/load-features';
import { queryRows } from '../platform/db/database';
import { sha256Hex } from '../platform/sha256';
import type { Consultation } from './consultation';
import type { ConsultationRepository } from './consultation-repository';

const OPERATOR = { kind: 'operator' } as const;

/** The layer, the version serving (null: nothing approved), and whether this run made that version. */
export interface SyncResult {
  layer: string;
  version: number | null;
  features: number;
  newVersion: boolean;
}

/**
 * Approved responses as an ordinary layer, `{consultation}-responses`, owned by the consultation's
 * organisation: versioned, served by the same tiles, OGC API and WFS as any layer. Re-published
 * after moderation changes what is approved (one run at a time per consultation; identical content
 * makes no version), withdrawn when nothing is approved any more.
 */
export function createResponsesLayer(deps: IngestDeps & { layerService: LayerService; layers: LayerRepository; consultations: ConsultationRepository; knex: Knex; onChange: () => void }) {
  const running = new Map<string, Promise<unknown>>();

  async function ensureLayer(c: Consultation): Promise<string> {
    const slug = c.responsesLayer ?? `${c.id}-responses`;
    if (!(await deps.layers.get(slug))) {
      await deps.layerService.create(OPERATOR, {
        slug,
        organisation: c.organisationId,
        title: { en: `Responses: ${c.title.en}`.slice(0, 200), cy: `Ymatebion: ${c.title.cy ?? c.title.en}`.slice(0, 200) },
        description: { en: 'Comments citizens left on the consultation map, published once a moderator approved them.', cy: 'Sylwadau a adawodd dinasyddion ar fap yr ymgynghoriad, wedi’u cyhoeddi ar ôl i gymedrolwr eu cymeradwyo.' },
        theme: 'community',
        keywords: ['consultation', 'ymgynghoriad'],
      });
      await deps.consultations.setResponsesLayer(c.id, slug);
    }
    return slug;
  }

  async function publish(c: Consultation): Promise<SyncResult> {
    const slug = await ensureLayer(c);
    const rows = await queryRows<{ feature: Record<string, unknown> }>(
      deps.knex,
      `SELECT json_build_object('type', 'Feature', 'id', 'r' || id, 'geometry', ST_AsGeoJSON(geom, 7)::json,
         'properties', json_build_object('response', id, 'kind', kind, 'comment', comment, 'category', category, 'sentiment', sentiment,
           'layer', layer_slug, 'layerVersion', layer_version, 'featureId', feature_id, 'answers', answers, 'createdAt', created_at)) AS feature
         FROM consultation_responses WHERE consultation_id = ? AND status = 'approved' ORDER BY id`,
      [c.id],
    );
    const layer = (await deps.layers.get(slug))!;
    if (rows.length === 0) {
      if (layer.currentVersion) {
        await deps.layers.withdraw(layer.id);
        deps.onChange();
      }
      return { layer: slug, version: null, features: 0, newVersion: false };
    }
    const body = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: rows.map((r) => r.feature) }));
    const contentHash = sha256Hex(body);
    const result = await publishVersion(deps, {
      layer,
      createdBy: `consultation:${c.id}`,
      source: { kind: 'consultation', consultation: c.id, contentHash },
      features: splitBody(Readable.from([body]), { format: 'geojson', maxBytes: Number.MAX_SAFE_INTEGER, maxFeatureBytes: deps.limits.featureBytes }),
      policy: 'repair',
      charset: 'utf-8',
      beforePublish: async () => (layer.currentVersion?.source.contentHash === contentHash ? 'The approved responses are as already published.' : undefined),
    });
    if ('version' in result) return { layer: slug, version: result.version, features: rows.length, newVersion: true };
    return { layer: slug, version: layer.currentVersion?.version ?? null, features: rows.length, newVersion: false };
  }

  return {
    /** Publishes what is approved now, after any run already going for this consultation. */
    sync(c: Consultation): Promise<SyncResult> {
      const previous = running.get(c.id) ?? Promise.resolve();
      const next = previous.catch(() => {}).then(() => publish(c));
      running.set(c.id, next);
      void next.finally(() => running.get(c.id) === next && running.delete(c.id)).catch(() => {});
      return next;
    },
  };
}

export type ResponsesLayer = ReturnType<typeof createResponsesLayer>;
