import { setTimeout as sleep } from 'node:timers/promises';
import { SourceResponseError } from './remote-source';
import { FetchRefusedError, type Fetcher, type SafeResponse } from './safe-fetch';

export interface RetryPolicy {
  /** Further tries after the first. */
  retries: number;
  /** Wait before the first retry; doubled each time. */
  backoffMs: number;
}

/** Retries requests that failed in ways a later try may not: network errors, timeouts, 429 and 5xx. */
export function retrying(fetcher: Fetcher, policy: RetryPolicy): Fetcher {
  return {
    async get(url, init) {
      for (let attempt = 0; ; attempt++) {
        const last = attempt >= policy.retries;
        try {
          const res = await fetcher.get(url, init);
          if (last || !(res.status === 429 || res.status >= 500)) return res;
          await res.buffer().catch(() => {});
        } catch (err) {
          const transient = err instanceof FetchRefusedError && (err.reason === 'network' || err.reason === 'timeout');
          if (last || !transient) throw err;
        }
        await sleep(policy.backoffMs * 2 ** attempt, undefined, { signal: init?.signal });
      }
    },
  };
}

/** The response, if the service answered 2xx (or 304 when asked conditionally); otherwise an error saying what it answered. */
export async function expectOk(res: SafeResponse, what: string): Promise<SafeResponse> {
  if ((res.status >= 200 && res.status < 300) || res.status === 304) return res;
  const body = await res.text().catch(() => '');
  const excerpt = body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
  throw new SourceResponseError(`${what} answered HTTP ${res.status}${excerpt ? `: "${excerpt}"` : ''}.`);
}

const JSON_TYPES = /^(application\/([a-z.+-]*\+)?json|application\/geo\+json|text\/json|text\/plain|application\/octet-stream)\b/i;

/** GET a JSON document; refuses a body that is not JSON (an HTML error page, say) with what it was. */
export async function getJson(fetcher: Fetcher, url: string, what: string, init: { signal?: AbortSignal; headers?: Record<string, string> } = {}) {
  const res = await expectOk(await fetcher.get(url, { ...init, headers: { accept: 'application/geo+json, application/json;q=0.9', ...init.headers } }), what);
  if (res.status === 304) return { res, json: undefined, bytes: 0 };
  const type = res.headers.get('content-type') ?? '';
  const buf = await res.buffer();
  if (type && !JSON_TYPES.test(type)) throw new SourceResponseError(`${what} sent ${type.split(';')[0]} where JSON was expected.`);
  try {
    return { res, json: JSON.parse(buf.toString('utf8')) as unknown, bytes: buf.length };
  } catch (err) {
    throw new SourceResponseError(`${what} sent something that is not valid JSON (${(err as Error).message}).`);
  }
}

/** GET a JSON document as bytes (for splitting without parsing); refuses a body that is not JSON by its type. */
export async function getJsonBytes(fetcher: Fetcher, url: string, what: string, init: { signal?: AbortSignal; headers?: Record<string, string> } = {}) {
  const res = await expectOk(await fetcher.get(url, { ...init, headers: { accept: 'application/geo+json, application/json;q=0.9', ...init.headers } }), what);
  if (res.status === 304) return { res, buffer: Buffer.alloc(0) };
  const type = res.headers.get('content-type') ?? '';
  const buffer = await res.buffer();
  if (type && !JSON_TYPES.test(type)) throw new SourceResponseError(`${what} sent ${type.split(';')[0]} where JSON was expected.`);
  return { res, buffer };
}

/** GET a text document (XML); `what` names it in errors. */
export async function getText(fetcher: Fetcher, url: string, what: string, init: { signal?: AbortSignal; headers?: Record<string, string> } = {}) {
  const res = await expectOk(await fetcher.get(url, init), what);
  const buf = await res.buffer();
  const type = res.headers.get('content-type') ?? '';
  const charset = /charset="?([^";\s]+)/i.exec(type)?.[1] ?? /^<\?xml[^>]*encoding=["']([^"']+)/i.exec(buf.subarray(0, 200).toString('latin1'))?.[1] ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return { res, text: decoder.decode(buf), buffer: buf, bytes: buf.length, contentType: type };
}

/** A URL with these query parameters set (replacing any of the same name, case-insensitively). */
export function withQuery(url: string, params: Record<string, string | number | undefined>): string {
  const u = new URL(url);
  for (const [name, value] of Object.entries(params)) {
    for (const key of [...u.searchParams.keys()]) if (key.toLowerCase() === name.toLowerCase()) u.searchParams.delete(key);
    if (value !== undefined) u.searchParams.set(name, String(value));
  }
  return u.href;
}

/**
 * Runs `tasks` with up to `window` in flight and yields their results in order: the next pages
 * are on their way while this one is checked and loaded. Stopping early leaves no rejection unhandled.
 */
export async function* inOrder<T>(tasks: Array<() => Promise<T>>, window: number): AsyncGenerator<T> {
  const running: Promise<T>[] = [];
  let next = 0;
  const startOne = () => {
    const p = tasks[next++]!();
    p.catch(() => {});
    running.push(p);
  };
  while (next < tasks.length && running.length < window) startOne();
  while (running.length > 0) {
    const value = await running.shift()!;
    if (next < tasks.length) startOne();
    yield value;
  }
}
