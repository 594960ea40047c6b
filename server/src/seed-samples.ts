import { generateSampleLayers } from '../../fixtures/sample-layers';
import type { AppDeps } from './deps';
import { publishUpload } from './ingest/publish-upload';

export const SAMPLE_ORGANISATION = { id: 'sample-council', name: 'Sample County Council (sample data)', nameCy: 'Cyngor Sir Enghreifftiol (data sampl)' };
/** Three invented publishers, so a first start already shows layers from different bodies. */
export const SAMPLE_ORGANISATIONS = [
  SAMPLE_ORGANISATION,
  { id: 'sample-schools-service', name: 'Sample Schools Service (sample data)', nameCy: 'Gwasanaeth Ysgolion Enghreifftiol (data sampl)' },
  { id: 'sample-boundary-commission', name: 'Sample Boundary Commission (sample data)', nameCy: 'Comisiwn Ffiniau Enghreifftiol (data sampl)' },
];

async function* once(buf: Buffer): AsyncIterable<Buffer> {
  yield buf;
}

/** On a database with no layers yet: the sample organisations and their three layers, through the real upload path. */
export async function seedSampleLayers(deps: AppDeps): Promise<boolean> {
  const [{ n }] = (await deps.db.knex('layers').count({ n: '*' })) as [{ n: string | number }];
  if (Number(n) > 0) return false;
  for (const org of SAMPLE_ORGANISATIONS) if (!(await deps.organisations.get(org.id))) await deps.organisations.create(org);
  const operator = { kind: 'operator' } as const;
  for (const sample of generateSampleLayers()) {
    const layer = await deps.layerService.create(operator, { slug: sample.slug, organisation: sample.organisation, ...sample.metadata });
    await publishUpload(
      { ...deps, limits: deps.config.limits, onPublished: deps.published.invalidate },
      { layer, principal: operator, body: once(Buffer.from(JSON.stringify(sample.collection))), contentType: 'application/geo+json', query: { filename: `${sample.slug}.geojson` } },
    );
    deps.log.info({ layer: sample.slug, features: sample.collection.features.length }, 'sample layer published');
  }
  return true;
}
