/** Where the features live: one table per version, and beside it that version's tile table. */
export const LAYER_DATA_SCHEMA = 'layer_data';
export const tileTableName = (versionTable: string) => `${versionTable}_tiles`;
/** Every table a version owns, dropped together. */
export const versionTableNames = (versionTable: string) => [versionTable, tileTableName(versionTable)];
