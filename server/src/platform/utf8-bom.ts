/** Bytes of a UTF-8 byte order mark at the start of `bytes`: 3, or 0 when there is none. */
export const utf8BomLength = (bytes: Uint8Array): number => (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0);
