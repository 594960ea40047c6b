import { Router } from 'express';
import type { FeatureStore } from '../features/feature-store';
import type { Layer } from '../layers/layer';
import type { PublishedLayers } from '../layers/published-layers';
import { requestBase } from '../platform/http/links';
import type { Logger } from '../platform/log';
import { describeFeatureTypeXml } from './describe-feature-type';
import { capabilitiesXml } from './get-capabilities';
import { capabilitiesXml110 } from './get-capabilities-110';
import { WFS_110, WFS_200, type WfsVersion } from './wfs-version';
import { getFeature } from './get-feature';
import { OwsException, wfsErrorHandler } from './wfs-exception';
import { typeNameToSlug } from './wfs-names';
import { normaliseKvp, parseGetFeature } from './wfs-request';

/** The version a GetCapabilities asks for: 2.0.0 unless only 1.1.0 is acceptable. */
function capabilitiesVersion(kvp: Record<string, string>): WfsVersion {
  const accepted = kvp.ACCEPTVERSIONS?.split(',').map((v) => v.trim()) ?? (kvp.VERSION ? [kvp.VERSION] : undefined);
  if (!accepted || accepted.some((v) => /^2\.0\.[02]$/.test(v))) return WFS_200;
  if (accepted.includes('1.1.0')) return WFS_110;
  throw new OwsException('VersionNegotiationFailed', 'AcceptVersions', 'WFS 2.0.0 and 1.1.0 are offered.');
}

/** WFS 2.0 (and 1.1.0) KVP over GET at /wfs: GetCapabilities, DescribeFeatureType, GetFeature. */
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
      const v = capabilitiesVersion(kvp);
      const url = `${requestBase(req)}/wfs`;
      res.type('application/xml').send(v === WFS_110 ? capabilitiesXml110(url, await published()) : capabilitiesXml(url, await published(), deps.maxCount));
      return;
    }
    if (kvp.SERVICE === undefined) throw new OwsException('MissingParameterValue', 'service', 'The SERVICE parameter is missing.');
    if (kvp.VERSION === undefined) throw new OwsException('MissingParameterValue', 'version', 'The VERSION parameter is missing.');
    const v = /^2\.0\.[02]$/.test(kvp.VERSION) ? WFS_200 : kvp.VERSION === '1.1.0' ? WFS_110 : undefined;
    if (!v) throw new OwsException('InvalidParameterValue', 'version', `VERSION ${kvp.VERSION} is not offered; use 2.0.0 or 1.1.0.`);
    const typeNames = (kvp.TYPENAMES ?? kvp.TYPENAME)?.split(',').map((t) => t.trim()).filter(Boolean);
    if (op === 'describefeaturetype') {
      const layers = typeNames ? await Promise.all(typeNames.map((n) => requireType(n, 'typeNames'))) : await published();
      res.type(v.gmlFormat).send(describeFeatureTypeXml(layers, v));
      return;
    }
    if (op === 'getfeature') {
      if (!typeNames?.length && !kvp.RESOURCEID) throw new OwsException('MissingParameterValue', 'typeNames', 'GetFeature needs TYPENAMES.');
      if (typeNames && typeNames.length > 1) throw new OwsException('InvalidParameterValue', 'typeNames', 'Ask for one feature type per GetFeature.');
      const name = typeNames?.[0] ?? kvp.RESOURCEID!.split('.')[0]!;
      const layer = await requireType(name, 'typeNames');
      await getFeature(deps.featureStore, layer, parseGetFeature(kvp, layer, deps.maxCount), res, requestBase(req), v);
      return;
    }
    throw new OwsException('OperationNotSupported', 'request', `${request} is not offered; use GetCapabilities, DescribeFeatureType or GetFeature.`);
  });
  router.use(wfsErrorHandler(deps.log));
  return router;
}
