/** How a fetch that went wrong is put to an officer: what happened, naming the host. */

export type FetchFailure = 'refused-address' | 'bad-url' | 'timeout' | 'too-large' | 'too-many-redirects' | 'network';

/** Why a fetch did not happen or did not finish, in words an officer can act on. */
export class FetchRefusedError extends Error {
  constructor(
    readonly reason: FetchFailure,
    message: string,
  ) {
    super(message);
    this.name = 'FetchRefusedError';
  }
}

export function tooLarge(url: URL, what: string, limit: number): FetchRefusedError {
  return new FetchRefusedError('too-large', `The response from ${url.host} ${what}; Haenau reads at most ${describeBytes(limit)} from one request.`);
}

export function describeBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

export function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'no such host name exists',
  EAI_AGAIN: 'the host name could not be looked up (DNS did not answer)',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host cannot be reached from this server',
  ENETUNREACH: 'the network cannot be reached from this server',
  EPIPE: 'the connection was closed',
  ERR_STREAM_PREMATURE_CLOSE: 'the connection closed before the response was complete',
};

/** Any error from a fetch as what the caller sees: its own abort reason, a timeout, or a FetchRefusedError in words. */
export function failure(error: unknown, signal: AbortSignal, url: URL, during: 'connect' | 'read'): unknown {
  if (signal.aborted) return signal.reason;
  if (error instanceof FetchRefusedError) return error;
  const code = String((error as NodeJS.ErrnoException).code ?? '');
  const words =
    NETWORK_WORDS[code] ??
    (code.includes('CERT') || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL')
      ? 'its HTTPS certificate could not be verified'
      : code.startsWith('HPE_')
        ? 'it did not answer in valid HTTP'
        : code.startsWith('Z_')
          ? 'it sent compressed data that could not be decompressed'
          : (error as Error).message);
  const message = during === 'connect' ? `Could not connect to ${url.host}: ${words}.` : `Could not read the whole response from ${url.host}: ${words}.`;
  return new FetchRefusedError('network', message);
}
