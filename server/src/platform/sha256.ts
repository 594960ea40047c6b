import { createHash } from 'node:crypto';

/** SHA-256 as lower-case hex: how tokens, session ids, receipts and content are hashed for storage and comparison. */
export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
