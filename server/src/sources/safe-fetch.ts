import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { pipeline, type Readable, type Transform } from 'node:stream';
import zlib from 'node:zlib';
import { ADDRESS_KIND_WORDS, canonicalHost, classifyAddress } from './address-policy';
import { clip, describeBytes, failure, FetchRefusedError, tooLarge } from './fetch-failure';

/**
 * SSRF-safe HTTP(S) GET for server-side fetches of publisher-supplied URLs: only http(s), every
 * redirect hop checked, addresses checked at connect time (no second DNS lookup), bounded in time and size.
 */
export interface FetchPolicy {
  /** Hosts (as written in URLs, e.g. "127.0.0.1", "localhost") exempt from the address check: HAENAU_SOURCE_ALLOWLIST. */
  allowlist: readonly string[];
  /** Whole-request time limit in ms (connect, headers and body). */
  timeoutMs: number;
  /** Most bytes one response body may have (after decompression). */
  maxBytes: number;
  /** Most redirects followed; each hop is checked again. */
  maxRedirects: number;
  /** DNS lookup; tests substitute a stub. Defaults to dns.promises.lookup(host, {all: true}). */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
  /** Called with the address about to be connected to, after the checks; tests use it to make sure nothing but loopback is ever dialled. */
  beforeConnect?: (address: string) => void;
}

export interface SafeResponse {
  /** The final URL after redirects. */
  url: string;
  status: number;
  headers: { get(name: string): string | null };
  /** The body as chunks; throws FetchRefusedError('too-large') past maxBytes. Read once. */
  body(): AsyncIterable<Buffer>;
  buffer(): Promise<Buffer>;
  /** The body decoded with the charset from Content-Type (UTF-8 otherwise). */
  text(): Promise<string>;
}

export { type FetchFailure, FetchRefusedError } from './fetch-failure';

export interface Fetcher {
  get(url: string, init?: { headers?: Record<string, string>; signal?: AbortSignal }): Promise<SafeResponse>;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const ACCEPT_ENCODING = 'gzip, deflate, br';
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];
const ALLOWLIST_HINT = 'An operator can allow this host with HAENAU_SOURCE_ALLOWLIST.';

/** HAENAU_SOURCE_ALLOWLIST: comma-separated hosts (names or IP addresses, IPv6 with or without brackets). */
export function sourceAllowlist(value: string | undefined): string[] {
  return [...new Set((value ?? '').split(',').map(canonicalHost).filter((host) => host !== ''))];
}

export function createFetcher(policy: FetchPolicy): Fetcher {
  const allowed = new Set(policy.allowlist.map(canonicalHost));
  const resolve = policy.resolve ?? ((host: string) => dnsLookup(host, { all: true }));

  /** The connect-time lookup: every address the name has must pass, and the socket connects to one of them. */
  const checkedLookup =
    (check: boolean): LookupFunction =>
    (hostname, options, callback) => {
      resolve(hostname)
        .then((found) => {
          if (check) for (const { address } of found) refuseIfBlocked(hostname, address);
          const wanted = options.family === 4 || options.family === 6 ? found.filter((a) => a.family === options.family) : found;
          if (wanted.length === 0) throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
          for (const { address } of wanted) policy.beforeConnect?.(address);
          return wanted;
        })
        .then(
          (wanted) => (options.all ? callback(null, wanted) : callback(null, wanted[0]!.address, wanted[0]!.family)),
          (error: NodeJS.ErrnoException) => callback(error, ''),
        );
    };

  function send(target: URL, headers: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
    const host = canonicalHost(target.hostname);
    const check = !allowed.has(host);
    // Node connects to an IP literal without calling lookup, so those are checked here.
    if (check && isIP(host)) refuseIfBlocked(host, host);
    if (isIP(host)) policy.beforeConnect?.(host);
    signal.throwIfAborted();
    return new Promise((resolveResponse, reject) => {
      const client = target.protocol === 'https:' ? https : http;
      // agent: false, so no pooled socket checked under another policy is ever reused.
      const req = client.request(target, { method: 'GET', headers, agent: false, lookup: checkedLookup(check) }, (res) => {
        signal.removeEventListener('abort', onAbort);
        resolveResponse(res);
      });
      const onAbort = () => req.destroy(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('error', (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      });
      req.end();
    });
  }

  function respond(res: IncomingMessage, url: URL, signal: AbortSignal, done: () => void): SafeResponse {
    const length = Number(res.headers['content-length']);
    let chain: Transform[];
    try {
      signal.throwIfAborted();
      if (Number.isFinite(length) && length > policy.maxBytes) throw tooLarge(url, `is ${describeBytes(length)}`, policy.maxBytes);
      chain = decoders(res.headers['content-encoding'], url);
    } catch (error) {
      res.destroy();
      throw error;
    }
    res.on('error', () => {}); // surfaced when the body is read
    const stream = chain.reduce<Readable>((from, to) => pipeline(from, to, () => {}), res);
    const onAbort = () => stream.destroy(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let used = false;

    async function* body(): AsyncGenerator<Buffer> {
      if (used) throw new Error('The response body has already been read.');
      used = true;
      let total = 0;
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          total += chunk.length;
          if (total > policy.maxBytes) throw tooLarge(url, 'is larger than that', policy.maxBytes);
          yield chunk;
        }
      } catch (error) {
        throw failure(error, signal, url, 'read');
      } finally {
        signal.removeEventListener('abort', onAbort);
        stream.destroy();
        res.destroy();
        done();
      }
    }
    async function buffer(): Promise<Buffer> {
      const chunks: Buffer[] = [];
      for await (const chunk of body()) chunks.push(chunk);
      return Buffer.concat(chunks);
    }
    return {
      url: url.href,
      status: res.statusCode ?? 0,
      headers: { get: (name) => headerValue(res.headers[name.toLowerCase()]) },
      body,
      buffer,
      text: async () => decoderFor(res.headers['content-type']).decode(await buffer()),
    };
  }

  return {
    async get(url, init = {}) {
      const caller = init.signal;
      caller?.throwIfAborted();
      let current = parseTarget(url);
      const controller = new AbortController();
      const timer = setTimeout(() => {
        const seconds = policy.timeoutMs / 1000;
        const message = `${current.host} did not send its whole response within ${seconds} second${seconds === 1 ? '' : 's'}, the time limit for one request.`;
        controller.abort(new FetchRefusedError('timeout', message));
      }, policy.timeoutMs);
      timer.unref();
      const onCallerAbort = () => controller.abort(caller!.reason);
      caller?.addEventListener('abort', onCallerAbort, { once: true });
      const done = () => {
        clearTimeout(timer);
        caller?.removeEventListener('abort', onCallerAbort);
      };
      controller.signal.addEventListener('abort', done, { once: true });

      let headers = requestHeaders(init.headers);
      try {
        for (let redirects = 0; ; redirects++) {
          const res = await send(current, headers, controller.signal);
          const location = res.headers.location;
          if (!REDIRECT_STATUSES.has(res.statusCode ?? 0) || !location) return respond(res, current, controller.signal, done);
          res.destroy();
          if (redirects >= policy.maxRedirects) {
            throw new FetchRefusedError('too-many-redirects', `${clip(url)} redirected more than ${policy.maxRedirects} times; Haenau stops there so a redirect loop cannot hold a harvest.`);
          }
          const next = parseTarget(location, current);
          if (next.origin !== current.origin) headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.includes(name)));
          current = next;
        }
      } catch (error) {
        done();
        throw failure(error, controller.signal, current, 'connect');
      }
    },
  };
}

function parseTarget(raw: string, base?: URL): URL {
  const from = base ? `${base.host} redirected to an address that` : 'The address';
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new FetchRefusedError('bad-url', `${from} is not a valid web address: ${clip(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchRefusedError('bad-url', `${from} starts with "${url.protocol}"; Haenau only fetches http:// and https:// addresses.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new FetchRefusedError('bad-url', `${from} for ${url.host} has a user name or password in it; Haenau does not send credentials written into an address.`);
  }
  return url;
}

function refuseIfBlocked(host: string, address: string): void {
  const kind = classifyAddress(address);
  if (!kind) return;
  const named = canonicalHost(host) === canonicalHost(address) ? address : `${host} (${address})`;
  throw new FetchRefusedError(
    'refused-address',
    `The address of ${named} is ${ADDRESS_KIND_WORDS[kind]}; Haenau does not fetch from private, loopback, link-local or other non-public addresses. ${ALLOWLIST_HINT}`,
  );
}

function requestHeaders(extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': 'Haenau harvester' };
  for (const [name, value] of Object.entries(extra)) headers[name.toLowerCase()] = value;
  // We decode these ourselves; asking for anything else would hand the caller bytes it cannot read.
  headers['accept-encoding'] = ACCEPT_ENCODING;
  return headers;
}

/** Decompressors for Content-Encoding, last applied first. */
function decoders(encoding: string | undefined, url: URL): Transform[] {
  const names = (encoding ?? '').split(',').map((name) => name.trim().toLowerCase()).filter((name) => name !== '' && name !== 'identity');
  return names.reverse().map((name) => {
    if (name === 'gzip' || name === 'x-gzip') return zlib.createGunzip();
    if (name === 'deflate') return zlib.createInflate();
    if (name === 'br') return zlib.createBrotliDecompress();
    throw new FetchRefusedError('network', `${url.host} sent its response compressed as "${name}", which Haenau cannot read.`);
  });
}

function decoderFor(contentType: string | undefined): TextDecoder {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8');
  } catch {
    return new TextDecoder('utf-8');
  }
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}
