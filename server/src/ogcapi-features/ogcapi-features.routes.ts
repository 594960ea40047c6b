import { Router } from 'express';
import type { FeatureStore } from '../features/feature-store';
import type { Layer } from '../layers/layer';
import type { PublishedLayers } from '../layers/published-layers';
import { getItem, listItems } from './items';
import { openApi } from './openapi';
import type { ItemsLimits } from './parse-items-query';
import type { ReadRoute } from '../platform/http/read-routes';
import { conformance, describeCollection, landingPage, listCollections, queryables } from './service-pages';

type OgcApiDeps = { published: PublishedLayers; featureStore: FeatureStore; limits: ItemsLimits };

/** OGC API – Features (Parts 1 and 2) under /ogc: the table of contents (the features themselves are read routes, below). */
export function ogcApiFeaturesRouter(deps: OgcApiDeps): Router {
  const publishedLayers = () => deps.published.list();
  const requireCollection = (id: string): Promise<Layer> => deps.published.require(id);
  const service = { publishedLayers, requireCollection };

  const router = Router();
  router.get('/ogc', landingPage());
  router.get('/ogc/conformance', conformance());
  router.get('/ogc/api', openApi({ publishedLayers, limits: deps.limits }));
  router.get('/ogc/collections', listCollections(service));
  router.get('/ogc/collections/:collectionId', describeCollection(service));
  router.get('/ogc/collections/:collectionId/queryables', queryables(service));
  return router;
}

/** The features: pages and single features, served on the read routes ahead of Express. */
export function ogcApiFeatureRoutes(deps: OgcApiDeps): ReadRoute[] {
  const items = { featureStore: deps.featureStore, requireCollection: (id: string): Promise<Layer> => deps.published.require(id), limits: deps.limits };
  return [
    { path: '/ogc/collections/:collectionId/items', handler: listItems(items) },
    { path: '/ogc/collections/:collectionId/items/:featureId', handler: getItem(items) },
  ];
}
