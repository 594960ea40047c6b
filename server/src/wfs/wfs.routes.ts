import { Router } from 'express';
import type { FeatureStore } from '../features/feature-store';
import type { Layer } from '../layers/layer';
import type { PublishedLayers } from '../layers/published-layers';
import { baseUrl } from '../platform/http/links';
import type { Logger } from '../platform/log';
import { describeFeatureTypeXml } from './describe-feature-type';
import { capabilitiesXml } from './get-capabilities';
import { getFeature } from './get-feature';
import { OwsException, wfsErrorHandler } from './wfs-exception';
import { typeNameToSlug } from './wfs-names';
import { normaliseKvp, parseGetFeature } from './wfs-request';

/** WFS 2.0 (KVP over GET) at /wfs: GetCapabilities, DescribeFeatureType, GetFeature. */
export function wfsRouter(deps: { published: PublishedLayers; featureStore: FeatureStore; maxCount: number; log: Logger }): Router {
  const published = () => deps.published.list();
  const requireType = async (name: string, locator: string): Promise<Layer> => {
    const layer = await deps.published.get(typeNameToSlug(name));
    if (!layer) throw new OwsException('InvalidParameterValue', locator, `There is no feature type "${name}".`);
    return layer;
  };

  const router = Router();
  router.get('/wfs', async (req, res) => {
    const kvp = normaliseKvp(req.query as Record<string, unknown>);
    const request = kvp.REQUEST;
    if (!request) throw new OwsException('MissingParameterValue', 'request', 'The REQUEST parameter is missing.');
    if (kvp.SERVICE !== undefined && kvp.SERVICE.toUpperCase() !== 'WFS') throw new OwsException('InvalidParameterValue', 'service', 'SERVICE must be WFS.');
    const op = request.toLowerCase();
    if (op === 'getcapabilities') {
      const versions = kvp.ACCEPTVERSIONS?.split(',').map((v) => v.trim());
      if (versions && !versions.includes('2.0.0') && !versions.includes('2.0.2')) {
        throw new OwsException('VersionNegotiationFailed', 'AcceptVersions', 'Only WFS 2.0.0 is offered.');
      }
      res.type('application/xml').send(capabilitiesXml(`${baseUrl(req)}/wfs`, await published(), deps.maxCount));
      return;
    }
    if (kvp.SERVICE === undefined) throw new OwsException('MissingParameterValue', 'service', 'The SERVICE parameter is missing.');
    if (kvp.VERSION === undefined) throw new OwsException('MissingParameterValue', 'version', 'The VERSION parameter is missing.');
    if (!/^2\.0\.[02]$/.test(kvp.VERSION)) throw new OwsException('InvalidParameterValue', 'version', `VERSION ${kvp.VERSION} is not offered; use 2.0.0.`);
    const typeNames = (kvp.TYPENAMES ?? kvp.TYPENAME)?.split(',').map((t) => t.trim()).filter(Boolean);
    if (op === 'describefeaturetype') {
      const layers = typeNames ? await Promise.all(typeNames.map((n) => requireType(n, 'typeNames'))) : await published();
      res.type('application/gml+xml; version=3.2').send(describeFeatureTypeXml(layers));
      return;
    }
    if (op === 'getfeature') {
      if (!typeNames?.length && !kvp.RESOURCEID) throw new OwsException('MissingParameterValue', 'typeNames', 'GetFeature needs TYPENAMES.');
      if (typeNames && typeNames.length > 1) throw new OwsException('InvalidParameterValue', 'typeNames', 'Ask for one feature type per GetFeature.');
      const name = typeNames?.[0] ?? kvp.RESOURCEID!.split('.')[0]!;
      const layer = await requireType(name, 'typeNames');
      await getFeature(deps.featureStore, layer, parseGetFeature(kvp, layer, deps.maxCount), res, baseUrl(req));
      return;
    }
    throw new OwsException('OperationNotSupported', 'request', `${request} is not offered; use GetCapabilities, DescribeFeatureType or GetFeature.`);
  });
  router.use(wfsErrorHandler(deps.log));
  return router;
}
