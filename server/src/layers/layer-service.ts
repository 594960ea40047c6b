import type { Knex } from 'knex';
import type { OrganisationRepository } from '../auth/organisation-repository';
import { organisationOf, type Principal, requireReadAccess, requireWriteAccess } from '../auth/principal';
import { ConflictError, InvalidParameterError, NotFoundError } from '../platform/errors';
import { qualifiedName } from '../platform/sql/identifier';
import type { CreateLayerInput, Layer, LayerVersion, UpdateLayerInput } from './layer';
import type { LayerRepository } from './layer-repository';
import { layerSearchText } from './search-text';
import { LAYER_DATA_SCHEMA, versionTableNames } from './data-schema';


function searchTextOf(l: {
  title: { en: string; cy: string | null };
  description: { en: string | null; cy: string | null };
  keywords: string[];
  theme: string | null;
}): string {
  return layerSearchText([l.title.en, l.title.cy, l.description.en, l.description.cy, ...l.keywords, l.theme]);
}

/** Layer metadata, deletion and rollback; publishing new data lives in ingest/. */
export function createLayerService(deps: { knex: Knex; layers: LayerRepository; organisations: OrganisationRepository; onChange?: () => void }) {
  const changed = () => deps.onChange?.();
  const { knex, layers } = deps;

  async function requireLayer(slug: string): Promise<Layer> {
    const layer = await layers.get(slug);
    if (!layer) throw new NotFoundError(`There is no layer "${slug}".`);
    return layer;
  }

  return {
    requireLayer,

    /** The layer, checked writable by this caller. */
    /** A layer whose organisation's records (uploads, harvests, health) the caller may read. */
    async requireReadable(principal: Principal, slug: string): Promise<Layer> {
      const layer = await requireLayer(slug);
      requireReadAccess(principal, layer.organisationId);
      return layer;
    },

    async requireWritable(principal: Principal, slug: string): Promise<Layer> {
      const layer = await requireLayer(slug);
      requireWriteAccess(principal, layer.organisationId);
      return layer;
    },

    async create(principal: Principal, input: CreateLayerInput): Promise<Layer> {
      const organisationId = input.organisation ?? organisationOf(principal);
      if (!organisationId) throw new InvalidParameterError('Say which organisation publishes this layer: "organisation" is required.');
      requireWriteAccess(principal, organisationId);
      await deps.organisations.require(organisationId);
      if (await layers.get(input.slug)) throw new ConflictError(`A layer called "${input.slug}" already exists; choose another slug.`);
      const meta = {
        title: { en: input.title.en, cy: input.title.cy ?? null },
        description: { en: input.description?.en ?? null, cy: input.description?.cy ?? null },
        keywords: input.keywords ?? [],
        theme: input.theme ?? null,
      };
      await layers.insert({
        slug: input.slug,
        organisation_id: organisationId,
        title_en: meta.title.en,
        title_cy: meta.title.cy,
        description_en: meta.description.en,
        description_cy: meta.description.cy,
        licence: input.licence ?? 'OGL-UK-3.0',
        attribution: input.attribution ?? null,
        keywords: meta.keywords,
        theme: meta.theme,
        style: input.style ?? {},
        invalid_policy: input.invalidPolicy ?? 'repair',
        search_text: searchTextOf(meta),
      });
      return requireLayer(input.slug);
    },

    async update(principal: Principal, slug: string, patch: UpdateLayerInput): Promise<Layer> {
      const layer = await requireLayer(slug);
      requireWriteAccess(principal, layer.organisationId);
      const next = {
        title: { en: patch.title?.en ?? layer.title.en, cy: patch.title && 'cy' in patch.title ? (patch.title.cy ?? null) : layer.title.cy },
        description: {
          en: patch.description && 'en' in patch.description ? (patch.description.en ?? null) : layer.description.en,
          cy: patch.description && 'cy' in patch.description ? (patch.description.cy ?? null) : layer.description.cy,
        },
        keywords: patch.keywords ?? layer.keywords,
        theme: patch.theme === undefined ? layer.theme : patch.theme,
      };
      await layers.update(layer.id, {
        title_en: next.title.en,
        title_cy: next.title.cy,
        description_en: next.description.en,
        description_cy: next.description.cy,
        keywords: JSON.stringify(next.keywords),
        theme: next.theme,
        ...(patch.licence !== undefined ? { licence: patch.licence } : {}),
        ...(patch.attribution !== undefined ? { attribution: patch.attribution } : {}),
        ...(patch.style !== undefined ? { style: JSON.stringify(patch.style) } : {}),
        ...(patch.invalidPolicy !== undefined ? { invalid_policy: patch.invalidPolicy } : {}),
        search_text: searchTextOf(next),
      });
      changed();
      return requireLayer(slug);
    },

    /** Removes the layer, every version's table and its upload history. */
    async remove(principal: Principal, slug: string): Promise<void> {
      const layer = await requireLayer(slug);
      requireWriteAccess(principal, layer.organisationId);
      await knex.transaction(async (trx) => {
        await layers.lockForUpdate(trx, layer.id);
        for (const table of await layers.versionTables(layer.id, trx)) {
          await trx.raw(`DROP TABLE IF EXISTS ${versionTableNames(table).map((t) => qualifiedName(LAYER_DATA_SCHEMA, t)).join(', ')}`);
        }
        await layers.deleteLayer(trx, layer.id);
      });
      changed();
    },

    /** A version of the layer named by a path parameter: 400 unless a whole number from 1, 404 when there is none. */
    async requireVersion(layer: Layer, param: string): Promise<LayerVersion> {
      const number = Number(param);
      if (!Number.isInteger(number) || number < 1) throw new InvalidParameterError('The version must be a whole number from 1.', { parameter: 'version' });
      const version = await layers.findVersion(layer.id, number);
      if (!version) throw new NotFoundError(`Layer "${layer.slug}" has no version ${number}.`);
      return version;
    },

    /** Serves an earlier version again; versions are immutable, so this only moves the pointer. */
    async rollback(principal: Principal, slug: string, version: number): Promise<Layer> {
      const layer = await requireLayer(slug);
      requireWriteAccess(principal, layer.organisationId);
      const target = await layers.findVersion(layer.id, version);
      if (!target) throw new NotFoundError(`Layer "${slug}" has no version ${version}.`);
      await knex.transaction(async (trx) => {
        await layers.lockForUpdate(trx, layer.id);
        await layers.setCurrentVersion(trx, layer.id, target.id);
      });
      changed();
      return requireLayer(slug);
    },
  };
}

export type LayerService = ReturnType<typeof createLayerService>;
