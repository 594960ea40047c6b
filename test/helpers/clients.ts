import { execFileSync } from 'node:child_process';

function works(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * The real GIS clients the tests drive: GDAL (apt gdal-bin) and OWSLib (apt python3-owslib).
 * On a machine without them those tests are left out with a message; CI sets
 * HAENAU_REQUIRE_CLIENTS=1, so there a missing client fails the run instead of hiding tests.
 */
export const gdalAvailable = works('ogr2ogr', ['--version']);
export const owslibAvailable = works('/usr/bin/python3', ['-c', 'import owslib']);
/** Debian's Chromium (apt chromium), driven by playwright-core for the browser tests. */
export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = works(CHROMIUM, ['--version']);
/** MapServer as a CGI program (apt cgi-mapserver): a real WFS to harvest from. */
export const MAPSERV = '/usr/lib/cgi-bin/mapserv';
export const mapservAvailable = works(MAPSERV, ['-v']);

const allClients = gdalAvailable && owslibAvailable && chromiumAvailable && mapservAvailable;
if (process.env.HAENAU_REQUIRE_CLIENTS === '1' && !allClients) {
  throw new Error('HAENAU_REQUIRE_CLIENTS=1 but GDAL, OWSLib, Chromium or MapServer is missing: apt-get install gdal-bin python3-owslib chromium cgi-mapserver');
}
if (!allClients) {
  console.warn('client tests are left out for what is missing: apt-get install gdal-bin python3-owslib chromium cgi-mapserver to run them all');
}
