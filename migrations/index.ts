import type { Knex } from 'knex';
import * as foundation from './20261121090000_foundation';
import * as tileTables from './20261121100000_tile_tables';
import * as sources from './20261121110000_sources';
import * as accounts from './20261121120000_accounts';
import * as stagedUploads from './20261121130000_staged_uploads';
import * as consultations from './20261121140000_consultations';
import * as consultationModeration from './20261121150000_consultation_moderation';
import * as thinnedToZoom from './20261121160000_thinned_to_zoom';
import * as featuresReady from './20261122090000_features_ready';

/** Every migration in order; listed here so they load the same way under tsx, vitest and a build. */
export const migrations: ReadonlyArray<{ name: string; module: Knex.Migration }> = [
  { name: '20261121090000_foundation', module: foundation },
  { name: '20261121100000_tile_tables', module: tileTables },
  { name: '20261121110000_sources', module: sources },
  { name: '20261121120000_accounts', module: accounts },
  { name: '20261121130000_staged_uploads', module: stagedUploads },
  { name: '20261121140000_consultations', module: consultations },
  { name: '20261121150000_consultation_moderation', module: consultationModeration },
  { name: '20261121160000_thinned_to_zoom', module: thinnedToZoom },
  { name: '20261122090000_features_ready', module: featuresReady },
];
