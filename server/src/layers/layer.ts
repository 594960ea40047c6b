import { z } from 'zod';
import type { TileColumns } from '../tiles/tile-table';

export type InvalidPolicy = 'repair' | 'reject';

export interface PropertyField {
  name: string;
  /** JSON Schema-ish type inferred from the values: string, integer, number, boolean, date, date-time, object, array, null. */
  type: string;
}

export interface LayerVersion {
  id: number;
  version: number;
  tableName: string;
  featureCount: number;
  /** [minLon, minLat, maxLon, maxLat] in EPSG:4326, null when no feature has a geometry. */
  bbox: [number, number, number, number] | null;
  geometryType: string | null;
  propertySchema: PropertyField[];
  sourceCrs: string;
  source: Record<string, unknown>;
  report: Record<string, unknown>;
  createdBy: string;
  createdAt: Date;
  /** Set when low-zoom tiles draw a thinned subset of this point version (min_zoom up to this zoom). */
  thinnedToZoom: number | null;
  /** How its tile table holds the properties. */
  tileColumns: TileColumns;
  /** Its tile table is built; until then tiles are drawn from the version table itself. */
  tilesReady: boolean;
  /** Its feature table has been rewritten for serving (features-for-serving.ts): spatial order, CRS84 GeoJSON stored. */
  featuresReady: boolean;
}

export interface Layer {
  id: number;
  slug: string;
  organisationId: string;
  title: { en: string; cy: string | null };
  description: { en: string | null; cy: string | null };
  licence: string;
  attribution: string | null;
  keywords: string[];
  theme: string | null;
  style: LayerStyle;
  invalidPolicy: InvalidPolicy;
  currentVersion: LayerVersion | null;
  createdAt: Date;
  updatedAt: Date;
}

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'use a colour like #1d70b8');

/** How the layer is drawn by default; the viewer turns this into MapLibre paint properties. */
export const layerStyleSchema = z
  .object({
    color: hexColour.optional(),
    outlineColor: hexColour.optional(),
    fillOpacity: z.number().min(0).max(1).optional(),
    lineWidth: z.number().min(0).max(20).optional(),
    circleRadius: z.number().min(1).max(30).optional(),
    symbol: z.enum(['circle', 'square', 'triangle']).optional(),
  })
  .strict();
export type LayerStyle = z.infer<typeof layerStyleSchema>;

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'use 2–63 lower-case letters, digits and hyphens, starting with a letter or digit');
const text = (max: number) => z.string().trim().min(1).max(max);

export const THEMES = ['transport', 'education', 'environment', 'boundaries', 'health', 'planning', 'community', 'other'] as const;

/** Metadata a publisher sends to create a layer. */
export const createLayerSchema = z
  .object({
    slug,
    organisation: z.string().optional(),
    title: z.object({ en: text(200), cy: text(200).nullish() }).strict(),
    description: z.object({ en: text(5000).nullish(), cy: text(5000).nullish() }).strict().optional(),
    licence: text(100).optional(),
    attribution: text(500).nullish(),
    keywords: z.array(text(60)).max(50).optional(),
    theme: z.enum(THEMES).nullish(),
    style: layerStyleSchema.optional(),
    invalidPolicy: z.enum(['repair', 'reject']).optional(),
  })
  .strict();
export type CreateLayerInput = z.infer<typeof createLayerSchema>;

/** A PATCH changes only the members it names; slug and organisation are fixed once created. */
export const updateLayerSchema = createLayerSchema
  .omit({ slug: true, organisation: true, title: true })
  .extend({ title: z.object({ en: text(200).optional(), cy: text(200).nullish() }).strict().optional() })
  .strict();
export type UpdateLayerInput = z.infer<typeof updateLayerSchema>;

/** The JSON a client sees; version internals (table names) stay inside. */
export function layerToJson(layer: Layer, versions?: LayerVersion[]) {
  return {
    slug: layer.slug,
    organisation: layer.organisationId,
    title: layer.title,
    description: layer.description,
    licence: layer.licence,
    attribution: layer.attribution,
    keywords: layer.keywords,
    theme: layer.theme,
    style: layer.style,
    invalidPolicy: layer.invalidPolicy,
    published: layer.currentVersion !== null,
    currentVersion: layer.currentVersion ? versionToJson(layer.currentVersion, layer.currentVersion.id) : null,
    featureCount: layer.currentVersion?.featureCount ?? 0,
    bbox: layer.currentVersion?.bbox ?? null,
    geometryType: layer.currentVersion?.geometryType ?? null,
    properties: layer.currentVersion?.propertySchema ?? [],
    createdAt: layer.createdAt,
    updatedAt: layer.updatedAt,
    ...(versions ? { versions: versions.map((v) => versionToJson(v, layer.currentVersion?.id)) } : {}),
    links: [
      { rel: 'self', href: `/api/layers/${layer.slug}` },
      { rel: 'versions', href: `/api/layers/${layer.slug}/versions` },
      { rel: 'data', href: `/api/layers/${layer.slug}/data` },
    ],
  };
}

export function versionToJson(v: LayerVersion, currentId: number | undefined) {
  return {
    version: v.version,
    current: v.id === currentId,
    featureCount: v.featureCount,
    bbox: v.bbox,
    geometryType: v.geometryType,
    properties: v.propertySchema,
    /** False for the seconds after publishing while the tile table is built (tiles are drawn the slow way meanwhile). */
    tilesReady: v.tilesReady,
    /** False until the feature table has been rewritten for serving (pages are the same, only slower, meanwhile). */
    featuresReady: v.featuresReady,
    sourceCrs: v.sourceCrs,
    source: v.source,
    createdBy: v.createdBy,
    createdAt: v.createdAt,
    report: v.report,
  };
}
