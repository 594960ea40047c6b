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

if (process.env.HAENAU_REQUIRE_CLIENTS === '1' && !(gdalAvailable && owslibAvailable && chromiumAvailable)) {
  throw new Error('HAENAU_REQUIRE_CLIENTS=1 but GDAL, OWSLib or Chromium is missing: apt-get install gdal-bin python3-owslib chromium');
}
if (!gdalAvailable || !owslibAvailable || !chromiumAvailable) {
  console.warn('client tests are left out for what is missing: apt-get install gdal-bin python3-owslib chromium to run them all');
}
