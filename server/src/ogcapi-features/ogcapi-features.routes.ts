import { Router } from 'express';
import type { FeatureStore } from '../features/feature-store';
import type { Layer } from '../layers/layer';
import type { PublishedLayers } from '../layers/published-layers';
import { getItem, listItems } from './items';
import { openApi } from './openapi';
import type { ItemsLimits } from './parse-items-query';
import { conformance, describeCollection, landingPage, listCollections, queryables } from './service-pages';

/** OGC API – Features (Parts 1 and 2) under /ogc: the table of contents. */
export function ogcApiFeaturesRouter(deps: { published: PublishedLayers; featureStore: FeatureStore; limits: ItemsLimits }): Router {
  const publishedLayers = () => deps.published.list();
  const requireCollection = (id: string): Promise<Layer> => deps.published.require(id);
  const service = { publishedLayers, requireCollection };
  const items = { featureStore: deps.featureStore, requireCollection, limits: deps.limits };

  const router = Router();
  router.get('/ogc', landingPage());
  router.get('/ogc/conformance', conformance());
  router.get('/ogc/api', openApi({ publishedLayers, limits: deps.limits }));
  router.get('/ogc/collections', listCollections(service));
  router.get('/ogc/collections/:collectionId', describeCollection(service));
  router.get('/ogc/collections/:collectionId/queryables', queryables(service));
  router.get('/ogc/collections/:collectionId/items', listItems(items));
  router.get('/ogc/collections/:collectionId/items/:featureId', getItem(items));
  return router;
}
