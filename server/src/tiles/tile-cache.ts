/**
 * Rendered layer tiles kept in memory, least recently used first out, bounded by bytes. Keys carry
 * the version id, so a newly published version never meets an old entry; maxBytes 0 turns it off.
 */
export class TileCache {
  private readonly entries = new Map<string, Uint8Array>();
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

  get(key: string): Uint8Array | undefined {
    const tile = this.entries.get(key);
    if (tile === undefined) return undefined;
    // Map keeps insertion order: re-inserting marks the entry as the most recently used.
    this.entries.delete(key);
    this.entries.set(key, tile);
    return tile;
  }

  set(key: string, tile: Uint8Array): void {
    // A tile bigger than a tenth of the cache would push out many others for one reader.
    if (tile.byteLength > this.maxBytes / 10) return;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.byteLength;
      this.entries.delete(key);
    }
    this.entries.set(key, tile);
    this.bytes += tile.byteLength;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.byteLength;
    }
  }

  get size() {
    return { tiles: this.entries.size, bytes: this.bytes };
  }
}
