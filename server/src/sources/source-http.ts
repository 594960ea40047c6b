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

type GetInit = { signal?: AbortSignal; headers?: Record<string, string> };

/** GET a body as bytes, with its Content-Type; an empty body for 304. */
export async function getBytes(fetcher: Fetcher, url: string, what: string, init: GetInit = {}) {
  const res = await expectOk(await fetcher.get(url, init), what);
  const contentType = res.headers.get('content-type') ?? '';
  const buffer = res.status === 304 ? Buffer.alloc(0) : await res.buffer();
  return { res, buffer, contentType };
}

/** GET a JSON document as bytes (for splitting without parsing); refuses a body that is not JSON (an HTML error page, say) by its type. */
export async function getJsonBytes(fetcher: Fetcher, url: string, what: string, init: GetInit = {}) {
  const got = await getBytes(fetcher, url, what, { ...init, headers: { accept: 'application/geo+json, application/json;q=0.9', ...init.headers } });
  if (got.res.status !== 304 && got.contentType && !JSON_TYPES.test(got.contentType)) {
    throw new SourceResponseError(`${what} sent ${got.contentType.split(';')[0]} where JSON was expected.`);
  }
  return got;
}

/** GET a JSON document, parsed. */
export async function getJson(fetcher: Fetcher, url: string, what: string, init: GetInit = {}) {
  const { res, buffer } = await getJsonBytes(fetcher, url, what, init);
  if (res.status === 304) return { res, json: undefined, bytes: 0 };
  try {
    return { res, json: JSON.parse(buffer.toString('utf8')) as unknown, bytes: buffer.length };
  } catch (err) {
    throw new SourceResponseError(`${what} sent something that is not valid JSON (${(err as Error).message}).`);
  }
}

/** Text by the Content-Type charset, else the XML declaration's encoding, else UTF-8. */
export function decodeText(buffer: Buffer, contentType: string): string {
  const charset = /charset="?([^";\s]+)/i.exec(contentType)?.[1] ?? /^<\?xml[^>]*encoding=["']([^"']+)/i.exec(buffer.subarray(0, 200).toString('latin1'))?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(buffer);
  } catch {
    return new TextDecoder('utf-8').decode(buffer);
  }
}

/** GET a text document (XML); `what` names it in errors. */
export async function getText(fetcher: Fetcher, url: string, what: string, init: GetInit = {}) {
  const { res, buffer, contentType } = await getBytes(fetcher, url, what, init);
  return { res, text: decodeText(buffer, contentType), bytes: buffer.length, contentType };
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
