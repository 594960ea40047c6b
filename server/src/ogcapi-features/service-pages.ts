import type { Request, RequestHandler, Response } from 'express';
import type { Layer } from '../layers/layer';
import { negotiateFormat, MEDIA } from '../platform/http/content-negotiation';
import { escapeHtml, htmlPage } from '../platform/http/html';
import { requestBase } from '../platform/http/links';
import { collectionJson } from './collection-json';
import { JSON_SCHEMA_TYPE } from './json-schema-types';
import { CONFORMANCE } from './conformance';
import { temporalProperty } from './parse-items-query';

export interface ServiceDeps {
  publishedLayers: () => Promise<Layer[]>;
  requireCollection: (id: string) => Promise<Layer>;
}

function send(req: Request, res: Response, title: string, json: unknown, html: () => string, jsonType: string = MEDIA.json): void {
  if (negotiateFormat(req.query.f, req) === 'html') {
    res.type(MEDIA.html).send(htmlPage(title, html(), `${requestBase(req)}${req.path}?f=json`));
  } else {
    res.type(jsonType).send(JSON.stringify(json));
  }
}

const linkList = (links: Array<{ href: string; title?: string; rel: string }>) =>
  `<ul>${links.map((l) => `<li><a href="${escapeHtml(l.href)}">${escapeHtml(l.title ?? l.rel)}</a></li>`).join('')}</ul>`;

export function landingPage(): RequestHandler {
  return (req, res) => {
    const b = `${requestBase(req)}/ogc`;
    const links = [
      { rel: 'self', type: MEDIA.json, title: 'This document', href: `${b}?f=json` },
      { rel: 'alternate', type: 'text/html', title: 'This document as HTML', href: `${b}?f=html` },
      { rel: 'service-desc', type: MEDIA.openapi, title: 'The API definition (OpenAPI 3.0)', href: `${b}/api` },
      { rel: 'conformance', type: MEDIA.json, title: 'Conformance classes', href: `${b}/conformance?f=json` },
      { rel: 'data', type: MEDIA.json, title: 'Collections', href: `${b}/collections?f=json` },
    ];
    const doc = {
      title: 'Haenau',
      description: 'Map layers published by Welsh public bodies, as OGC API – Features.',
      links,
    };
    send(req, res, 'Haenau OGC API – Features', doc, () => `<p>${escapeHtml(doc.description)}</p>${linkList(links)}`);
  };
}

export function conformance(): RequestHandler {
  return (req, res) => {
    send(req, res, 'Conformance', { conformsTo: CONFORMANCE }, () => `<ul>${CONFORMANCE.map((c) => `<li>${escapeHtml(c)}</li>`).join('')}</ul>`);
  };
}

export function listCollections(deps: ServiceDeps): RequestHandler {
  return async (req, res) => {
    const layers = await deps.publishedLayers();
    const collections = layers.map((l) => collectionJson(req, l));
    const doc = {
      links: [
        { rel: 'self', type: MEDIA.json, href: `${requestBase(req)}/ogc/collections?f=json` },
        { rel: 'alternate', type: 'text/html', href: `${requestBase(req)}/ogc/collections?f=html` },
      ],
      collections,
    };
    send(req, res, 'Collections', doc, () =>
      `<ul>${collections.map((c) => `<li><a href="collections/${encodeURIComponent(c.id)}?f=html">${escapeHtml(c.title)}</a> — ${escapeHtml(c.description ?? '')}</li>`).join('')}</ul>`,
    );
  };
}

export function describeCollection(deps: ServiceDeps): RequestHandler {
  return async (req, res) => {
    const layer = await deps.requireCollection(req.params.collectionId as string);
    const doc = collectionJson(req, layer);
    send(req, res, layer.title.en, doc, () => `<p>${escapeHtml(doc.description ?? '')}</p><p>Licence: ${escapeHtml(layer.licence)}</p>${linkList(doc.links)}`);
  };
}


/** The collection's queryables as JSON Schema: every property with a filterable type, and the geometry. */
export function queryables(deps: ServiceDeps): RequestHandler {
  return async (req, res) => {
    const layer = await deps.requireCollection(req.params.collectionId as string);
    const v = layer.currentVersion!;
    const temporal = temporalProperty(v.propertySchema);
    const properties: Record<string, object> = {
      geometry: { 'x-ogc-role': 'primary-geometry', format: `geometry-${(v.geometryType ?? 'any').toLowerCase()}` },
    };
    for (const p of v.propertySchema) {
      const t = JSON_SCHEMA_TYPE[p.type];
      if (t) properties[p.name] = { title: p.name, ...t, ...(temporal?.name === p.name ? { 'x-ogc-role': 'primary-instant' } : {}) };
    }
    const doc = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: `${requestBase(req)}/ogc/collections/${encodeURIComponent(layer.slug)}/queryables`,
      type: 'object',
      title: layer.title.en,
      properties,
      additionalProperties: false,
    };
    send(req, res, `${layer.title.en}: queryables`, doc, () =>
      `<table><caption>Queryable properties</caption>${Object.entries(properties).map(([k, s]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(JSON.stringify(s))}</td></tr>`).join('')}</table>`,
      MEDIA.schema,
    );
  };
}
