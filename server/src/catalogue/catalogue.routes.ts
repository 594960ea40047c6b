import { Router } from 'express';
import { principalOf } from '../auth/authenticate';
import { organisationOf } from '../auth/principal';
import type { OrganisationRepository } from '../auth/organisation-repository';
import { layerToJson } from '../layers/layer';
import type { LayerRepository } from '../layers/layer-repository';
import type { LayerService } from '../layers/layer-service';
import { searchTerms } from '../layers/search-text';
import { NotFoundError } from '../platform/errors';
import { parseBbox } from '../platform/geo/bbox';
import { integerParam, optionalString } from '../platform/http/query-params';

/** The public catalogue: search published layers, read one layer's detail and versions, list the filters. */
export function catalogueRouter(deps: { layers: LayerRepository; layerService: LayerService; organisations: OrganisationRepository }): Router {
  const router = Router();

  /** Each layer's publisher by name in both languages, so a card can say who publishes it. */
  async function withPublishers<T extends { organisation: string }>(layers: T[]) {
    const names = new Map((await deps.organisations.list()).map((o) => [o.id, { en: o.name, cy: o.nameCy }]));
    return layers.map((l) => ({ ...l, publisher: { id: l.organisation, name: names.get(l.organisation) ?? { en: l.organisation, cy: null } } }));
  }

  router.get('/api/catalogue/facets', async (_req, res) => {
    res.json(await deps.layers.facets());
  });

  router.get('/api/layers', async (req, res) => {
    const principal = principalOf(req);
    const q = optionalString(req.query.q, 'q');
    const limit = integerParam(req.query.limit, 'limit', { min: 1, max: 500, fallback: 50 });
    const offset = integerParam(req.query.offset, 'offset', { min: 0, max: 1_000_000, fallback: 0 });
    const { layers, total } = await deps.layers.search({
      terms: q ? searchTerms(q) : [],
      theme: optionalString(req.query.theme, 'theme'),
      organisationId: optionalString(req.query.organisation, 'organisation'),
      bbox: parseBbox(req.query.bbox),
      draftsOf: organisationOf(principal),
      limit,
      offset,
    });
    const page = (o: number) => {
      const params = new URLSearchParams(req.query as Record<string, string>);
      params.set('offset', String(o));
      params.set('limit', String(limit));
      return `/api/layers?${params}`;
    };
    const links = [{ rel: 'self', href: page(offset) }];
    if (offset + limit < total) links.push({ rel: 'next', href: page(offset + limit) });
    if (offset > 0) links.push({ rel: 'prev', href: page(Math.max(0, offset - limit)) });
    res.json({ total, limit, offset, layers: await withPublishers(layers.map((l) => layerToJson(l))), links });
  });

  router.get('/api/layers/:slug', async (req, res) => {
    const layer = await deps.layerService.requireLayer(req.params.slug);
    const principal = principalOf(req);
    const ownOrOperator = principal.kind === 'operator' || organisationOf(principal) === layer.organisationId;
    // An unpublished layer is its organisation's draft: hidden from everyone else.
    if (!layer.currentVersion && !ownOrOperator) throw new NotFoundError(`There is no layer "${req.params.slug}".`);
    const [detail] = await withPublishers([layerToJson(layer, await deps.layers.versions(layer.id))]);
    res.json(detail);
  });

  return router;
}
