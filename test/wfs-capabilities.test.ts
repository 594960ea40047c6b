import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readWfsCapabilities } from '../server/src/sources/wfs-capabilities';
import { cgiBody } from './helpers/fixture-server';

const recorded = (name: string) => cgiBody(readFileSync(new URL(`../../shared/data/wfs/${name}`, import.meta.url), 'utf8'));

describe('WFS capabilities: paging and sorting as real servers declare them', () => {
  it.each([
    // MapServer's msautotest capabilities say FALSE; GeoServer lists the directions it sorts in; ArcGIS Server says TRUE.
    ['mapserver-msautotest_wfs20_cap.xml', true, false],
    ['geoserver-dov-flanders_GetCapabilities_wfs200.xml', true, true],
    ['arcgis-koeln_GetCapabilities_wfs200.xml', true, true],
  ])('%s pages: %s, sorts: %s', (file, paging, sorting) => {
    const caps = readWfsCapabilities(recorded(file), 'https://example.invalid/wfs');
    expect(caps.version).toBe('2.0.0');
    expect(caps.paging).toBe(paging);
    expect(caps.sorting).toBe(sorting);
  });

  it('reads a WFS 1.1 document, which has no FES 2.0 conformance, as not sorting', () => {
    const caps = readWfsCapabilities(recorded('mapserver-msautotest_wfs11_cap.xml'), 'https://example.invalid/wfs');
    expect(caps.version).toBe('1.1.0');
    expect(caps.sorting).toBe(false);
  });
});
