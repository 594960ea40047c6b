import type { RequestHandler } from 'express';
import type { Layer } from '../layers/layer';
import { SERVED_CRS } from '../platform/geo/crs';
import { MEDIA } from '../platform/http/content-negotiation';
import { requestBase } from '../platform/http/links';
import { JSON_SCHEMA_TYPE } from './json-schema-types';
import { ITEMS_PARAMETERS, type ItemsLimits } from './parse-items-query';

const ref = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const problem = { description: 'A problem, as application/problem+json', content: { 'application/problem+json': { schema: { type: 'object' } } } };
const json = (description: string) => ({ description, content: { [MEDIA.json]: { schema: { type: 'object' } }, 'text/html': { schema: { type: 'string' } } } });
const geojson = (description: string) => ({ description, content: { [MEDIA.geojson]: { schema: { type: 'object' } }, 'text/html': { schema: { type: 'string' } } } });


/** The OpenAPI 3.0 document: the real parameters, with each collection's queryable properties. */
export function openApiDocument(base: string, layers: Layer[], limits: ItemsLimits) {
  const crsEnum = SERVED_CRS.map((c) => c.uri);
  const paths: Record<string, object> = {
    '/': { get: { summary: 'Landing page', operationId: 'getLandingPage', parameters: [ref('f')], responses: { 200: json('Links to the API'), 400: problem } } },
    '/conformance': { get: { summary: 'Conformance classes', operationId: 'getConformance', parameters: [ref('f')], responses: { 200: json('Conformance classes'), 400: problem } } },
    '/api': { get: { summary: 'This document', operationId: 'getApi', responses: { 200: { description: 'OpenAPI 3.0', content: { [MEDIA.openapi]: { schema: { type: 'object' } } } } } } },
    '/collections': { get: { summary: 'Collections', operationId: 'getCollections', parameters: [ref('f')], responses: { 200: json('The published layers'), 400: problem } } },
  };
  for (const layer of layers) {
    const id = layer.slug;
    const schema = layer.currentVersion?.propertySchema ?? [];
    const properties = schema
      .filter((p) => JSON_SCHEMA_TYPE[p.type] && !ITEMS_PARAMETERS.has(p.name))
      .map((p) => ({ name: p.name, in: 'query', required: false, description: `Features whose ${p.name} equals this value`, schema: JSON_SCHEMA_TYPE[p.type], style: 'form', explode: false }));
    paths[`/collections/${id}`] = {
      get: { summary: `${layer.title.en}: metadata`, operationId: `describe_${id}`, parameters: [ref('f')], responses: { 200: json('The collection'), 404: problem } },
    };
    paths[`/collections/${id}/queryables`] = {
      get: { summary: `${layer.title.en}: queryables`, operationId: `queryables_${id}`, responses: { 200: { description: 'JSON Schema', content: { [MEDIA.schema]: { schema: { type: 'object' } } } }, 404: problem } },
    };
    paths[`/collections/${id}/items`] = {
      get: {
        summary: `${layer.title.en}: features`,
        operationId: `items_${id}`,
        parameters: [ref('f'), ref('limit'), ref('offset'), ref('after'), ref('bbox'), ref('bbox-crs'), ref('crs'), ref('datetime'), ref('properties'), ref('filter'), ref('filter-lang'), ref('filter-crs'), ...properties],
        responses: { 200: geojson('A page of features'), 400: problem, 404: problem },
      },
    };
    paths[`/collections/${id}/items/{featureId}`] = {
      get: {
        summary: `${layer.title.en}: one feature`,
        operationId: `item_${id}`,
        parameters: [{ name: 'featureId', in: 'path', required: true, schema: { type: 'string' } }, ref('f'), ref('crs')],
        responses: { 200: geojson('The feature'), 404: problem },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Haenau OGC API – Features', version: '1.0.0', description: 'Map layers published by Welsh public bodies.', license: { name: 'Data: see each collection' } },
    servers: [{ url: `${base}/ogc` }],
    paths,
    components: {
      parameters: {
        f: { name: 'f', in: 'query', required: false, schema: { type: 'string', enum: ['json', 'html'] }, description: 'Response format' },
        limit: { name: 'limit', in: 'query', required: false, style: 'form', explode: false, schema: { type: 'integer', minimum: 1, maximum: limits.maxLimit, default: limits.defaultLimit } },
        offset: { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 0 }, description: 'Features to skip' },
        after: { name: 'after', in: 'query', required: false, schema: { type: 'integer' }, description: 'Keyset position from a next link' },
        bbox: { name: 'bbox', in: 'query', required: false, style: 'form', explode: false, schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } } },
        'bbox-crs': { name: 'bbox-crs', in: 'query', required: false, schema: { type: 'string', format: 'uri', enum: crsEnum, default: crsEnum[0] } },
        crs: { name: 'crs', in: 'query', required: false, schema: { type: 'string', format: 'uri', enum: crsEnum, default: crsEnum[0] } },
        datetime: { name: 'datetime', in: 'query', required: false, schema: { type: 'string' }, description: 'Instant or interval (RFC 3339, ".." for open ends) on the temporal property' },
        filter: { name: 'filter', in: 'query', required: false, schema: { type: 'string' }, description: 'CQL2 filter (comparisons, AND/OR/NOT, LIKE, IN, BETWEEN, IS NULL, S_INTERSECTS and the other spatial functions)' },
        'filter-lang': { name: 'filter-lang', in: 'query', required: false, schema: { type: 'string', enum: ['cql2-text', 'cql2-json'], default: 'cql2-text' } },
        'filter-crs': { name: 'filter-crs', in: 'query', required: false, schema: { type: 'string', format: 'uri', enum: crsEnum, default: crsEnum[0] } },
        properties: { name: 'properties', in: 'query', required: false, style: 'form', explode: false, schema: { type: 'array', items: { type: 'string' } }, description: 'Properties to include' },
      },
    },
  };
}

export function openApi(deps: { publishedLayers: () => Promise<Layer[]>; limits: ItemsLimits }): RequestHandler {
  return async (req, res) => {
    res.type(MEDIA.openapi).send(JSON.stringify(openApiDocument(requestBase(req), await deps.publishedLayers(), deps.limits)));
  };
}
