/** Where the features live: one table per version, and beside it that version's tile table. */
export const LAYER_DATA_SCHEMA = 'layer_data';
export const tileTableName = (versionTable: string) => `${versionTable}_tiles`;
/** Where a version's feature table is rewritten for serving before it takes the table's place. */
export const rewriteTableName = (versionTable: string) => `${versionTable}_rewrite`;
/** Every table a version owns, dropped together. */
export const versionTableNames = (versionTable: string) => [versionTable, tileTableName(versionTable), rewriteTableName(versionTable)];
