import { once } from 'node:events';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalHost, classifyAddress } from '../server/src/sources/address-policy';
import { createFetcher, FetchRefusedError, sourceAllowlist, type FetchPolicy } from '../server/src/sources/safe-fetch';

// Every server here listens on 127.0.0.1; refused addresses are never listened on, so a refusal that
// still connected would show up as a network error or a timeout instead of 'refused-address'.

interface TestServer {
  port: number;
  origin: string;
  connections: number;
  requests: { url: string; headers: IncomingHttpHeaders }[];
}

const servers: http.Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function startServer(handler: (req: IncomingMessage, res: ServerResponse, server: TestServer) => void): Promise<TestServer> {
  const state: TestServer = { port: 0, origin: '', connections: 0, requests: [] };
  const server = http.createServer((req, res) => {
    state.requests.push({ url: req.url ?? '', headers: req.headers });
    handler(req, res, state);
  });
  server.on('connection', () => state.connections++);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  state.port = (server.address() as AddressInfo).port;
  state.origin = `http://127.0.0.1:${state.port}`;
  return state;
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = http.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Should a check ever regress, the tests still never dial anything but this machine. */
function onlyLoopback(address: string): void {
  if (!/^127\./.test(address) && address !== '::1') throw new Error(`test guard: refusing to connect to ${address}`);
}

function fetcher(overrides: Partial<FetchPolicy> = {}) {
  return createFetcher({ allowlist: ['127.0.0.1'], timeoutMs: 5_000, maxBytes: 1024 * 1024, maxRedirects: 5, beforeConnect: onlyLoopback, ...overrides });
}

/** A resolver stub: made-up names only, so no real DNS is asked. */
function stubResolver(names: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve = async (host: string) => {
    asked.push(host);
    const addresses = names[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolve, asked };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected the fetch to fail'),
    (error: unknown) => error,
  );
}

async function refusalOf(promise: Promise<unknown>): Promise<FetchRefusedError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(FetchRefusedError);
  return error as FetchRefusedError;
}

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['10.0.0.5', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['169.254.10.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['224.0.0.251', 'multicast'],
    ['ff02::1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:169.254.169.254', 'metadata'],
    ['::ffff:192.168.0.1', 'private'],
    ['::7f00:1', 'loopback'],
    ['::10.0.0.1', 'private'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:a9fe:a9fe::1', 'metadata'],
  ])('classifies %s as %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '192.169.0.1', '2a00:1450:4009::1', '::ffff:8.8.8.8'])('treats %s as public', (address) => {
    expect(classifyAddress(address)).toBeNull();
  });
});

describe('sourceAllowlist', () => {
  it('splits, trims, lower-cases and drops brackets, so IPv6 matches written either way', () => {
    expect(sourceAllowlist(' Maps.Example.ORG , [::1],0:0:0:0:0:0:0:1,, 127.0.0.1 ')).toEqual(['maps.example.org', '::1', '127.0.0.1']);
  });

  it('is empty when the variable is unset or blank', () => {
    expect(sourceAllowlist(undefined)).toEqual([]);
    expect(sourceAllowlist(' , ')).toEqual([]);
  });

  it('compares hosts as the URL parser spells them', () => {
    expect(canonicalHost('2130706433')).toBe('127.0.0.1');
    expect(canonicalHost('[::FFFF:127.0.0.1]')).toBe('::ffff:7f00:1');
    expect(canonicalHost('Intranet.Test.')).toBe('intranet.test');
  });
});

describe('createFetcher', () => {
  it('fetches from an allowlisted 127.0.0.1 with status, headers, text and the headers Haenau sends', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-layer': 'schools' });
      res.end('{"ok":true}');
    });
    const res = await fetcher().get(`${server.origin}/collections?f=json`, { headers: { Accept: 'application/json' } });
    expect(res.status).toBe(201);
    expect(res.url).toBe(`${server.origin}/collections?f=json`);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(res.headers.get('x-layer')).toBe('schools');
    expect(res.headers.get('x-missing')).toBeNull();
    expect(await res.text()).toBe('{"ok":true}');
    const sent = server.requests[0]!.headers;
    expect(sent['user-agent']).toBe('Haenau harvester');
    expect(sent['accept-encoding']).toBe('gzip, deflate, br');
    expect(sent.accept).toBe('application/json');
  });

  it('streams the body: the first chunk arrives before the server has finished', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first,');
      void released.then(() => res.end('second'));
    });
    const res = await fetcher().get(server.origin);
    const chunks = res.body()[Symbol.asyncIterator]();
    const first = await chunks.next();
    expect(first.value?.toString()).toBe('first,');
    release();
    const rest: string[] = [];
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) rest.push(next.value.toString());
    expect(rest.join('')).toBe('second');
  });

  it('lets the body be read only once', async () => {
    const server = await startServer((_req, res) => res.end('once'));
    const res = await fetcher().get(server.origin);
    expect(await res.text()).toBe('once');
    await expect(res.text()).rejects.toThrow('already been read');
  });

  it.each(['127.0.0.2', '[::1]', '2130706433', '0x7f.0.0.1', '0177.0.0.1', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[::]'])(
    'refuses the loopback spelling %s outside the allowlist without connecting',
    async (host) => {
      const server = await startServer((_req, res) => res.end('should not be reached'));
      const error = await refusalOf(fetcher({ allowlist: ['example.org'] }).get(`http://${host}:${server.port}/`));
      expect(error.reason).toBe('refused-address');
      expect(error.message).toMatch(/loopback|unspecified/);
      expect(error.message).toContain('HAENAU_SOURCE_ALLOWLIST');
      expect(server.connections).toBe(0);
    },
  );

  it('refuses localhost found by the system resolver, naming the host and its address', async () => {
    const server = await startServer((_req, res) => res.end('should not be reached'));
    const error = await refusalOf(fetcher({ allowlist: [] }).get(`http://localhost:${server.port}/`));
    expect(error.reason).toBe('refused-address');
    expect(error.message).toMatch(/^The address of localhost \((127\.0\.0\.1|::1)\) is a loopback address/);
    expect(server.connections).toBe(0);
  });

  it.each([
    ['metadata.test', '169.254.169.254', 'cloud metadata'],
    ['metadata6.test', 'fd00:ec2::254', 'cloud metadata'],
    ['intranet.test', '10.1.2.3', 'private network'],
    ['mapped.test', '::ffff:192.168.0.1', 'private network'],
    ['carrier.test', '100.64.1.1', 'carrier-grade NAT'],
    ['linklocal.test', 'fe80::1', 'link-local'],
  ])('refuses %s, which resolves to %s, before connecting', async (name, address, words) => {
    const dns = stubResolver({ [name]: [address] });
    const error = await refusalOf(fetcher({ resolve: dns.resolve }).get(`http://${name}/layers.json`));
    expect(error.reason).toBe('refused-address');
    expect(error.message).toContain(`The address of ${name} (${address}) is`);
    expect(error.message).toContain(words);
    expect(dns.asked).toEqual([name]);
  });

  it('refuses a name when any one of its addresses is refused', async () => {
    const dns = stubResolver({ 'split.test': ['10.9.9.9', '169.254.169.254'] });
    const error = await refusalOf(fetcher({ resolve: dns.resolve }).get('http://split.test/'));
    expect(error.reason).toBe('refused-address');
    expect(error.message).toContain('split.test (10.9.9.9)');
  });

  it('fetches an allowlisted name from the address its resolver gave, sending the name as Host', async () => {
    const server = await startServer((_req, res) => res.end('via name'));
    const dns = stubResolver({ 'fixture.test': ['127.0.0.1'] });
    const res = await fetcher({ allowlist: ['Fixture.Test'], resolve: dns.resolve }).get(`http://fixture.test:${server.port}/`);
    expect(await res.text()).toBe('via name');
    expect(dns.asked).toEqual(['fixture.test']);
    expect(server.requests[0]!.headers.host).toBe(`fixture.test:${server.port}`);
  });

  it('refuses a name outside the allowlist even when it resolves to an allowlisted address', async () => {
    const server = await startServer((_req, res) => res.end('should not be reached'));
    const dns = stubResolver({ 'other.test': ['127.0.0.1'] });
    const error = await refusalOf(fetcher({ allowlist: ['127.0.0.1'], resolve: dns.resolve }).get(`http://other.test:${server.port}/`));
    expect(error.reason).toBe('refused-address');
    expect(server.connections).toBe(0);
  });

  it('refuses a redirect from allowlisted 127.0.0.1 to 127.0.0.2', async () => {
    const server = await startServer((_req, res, self) => {
      res.writeHead(302, { location: `http://127.0.0.2:${self.port}/secret` });
      res.end();
    });
    const error = await refusalOf(fetcher().get(`${server.origin}/start`));
    expect(error.reason).toBe('refused-address');
    expect(error.message).toContain('The address of 127.0.0.2 is a loopback address');
    expect(server.requests.map((r) => r.url)).toEqual(['/start']);
  });

  it('follows a redirect chain within the allowlist, reports the final URL and drops credentials across origins', async () => {
    const server = await startServer((req, res, self) => {
      if (req.url === '/a') res.writeHead(302, { location: '/b?page=2' });
      else if (req.url === '/b?page=2') res.writeHead(301, { location: `http://fixture.test:${self.port}/c` });
      else res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(req.url === '/c' ? 'arrived' : '');
    });
    const dns = stubResolver({ 'fixture.test': ['127.0.0.1'] });
    const res = await fetcher({ allowlist: ['127.0.0.1', 'fixture.test'], resolve: dns.resolve }).get(`${server.origin}/a`, {
      headers: { Authorization: 'Bearer publisher-token' },
    });
    expect(res.status).toBe(200);
    expect(res.url).toBe(`http://fixture.test:${server.port}/c`);
    expect(await res.text()).toBe('arrived');
    expect(server.requests.map((r) => r.url)).toEqual(['/a', '/b?page=2', '/c']);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer publisher-token', 'Bearer publisher-token', undefined]);
  });

  it('refuses a redirect to a file: URL', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(307, { location: 'file:///etc/passwd' });
      res.end();
    });
    const error = await refusalOf(fetcher().get(server.origin));
    expect(error.reason).toBe('bad-url');
    expect(error.message).toContain(`127.0.0.1:${server.port} redirected to an address that starts with "file:"`);
  });

  it('stops after maxRedirects redirects', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(302, { location: '/loop' });
      res.end();
    });
    const error = await refusalOf(fetcher({ maxRedirects: 3 }).get(`${server.origin}/loop`));
    expect(error.reason).toBe('too-many-redirects');
    expect(error.message).toContain('more than 3 times');
    expect(server.requests).toHaveLength(4);
  });

  it('times out when the server never answers', async () => {
    const server = await startServer(() => {});
    const started = Date.now();
    const error = await refusalOf(fetcher({ timeoutMs: 200 }).get(server.origin));
    expect(error.reason).toBe('timeout');
    expect(error.message).toContain(`127.0.0.1:${server.port} did not send its whole response within 0.2 seconds`);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('times out while reading a body that stalls', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    });
    const res = await fetcher({ timeoutMs: 300 }).get(server.origin);
    const error = await refusalOf(res.text());
    expect(error.reason).toBe('timeout');
  });

  it('refuses early when Content-Length is over maxBytes', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(2 * 1024 * 1024) });
      res.write(Buffer.alloc(1024));
    });
    const error = await refusalOf(fetcher().get(server.origin));
    expect(error.reason).toBe('too-large');
    expect(error.message).toBe(`The response from 127.0.0.1:${server.port} is 2.0 MB; Haenau reads at most 1.0 MB from one request.`);
  });

  it('stops a chunked body without a length once it passes maxBytes', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (let i = 0; i < 40; i++) res.write(Buffer.alloc(64 * 1024, 1));
      res.end();
    });
    const res = await fetcher().get(server.origin);
    expect(res.headers.get('content-length')).toBeNull();
    const error = await refusalOf(res.buffer());
    expect(error.reason).toBe('too-large');
  });

  it('stops a small gzip body that inflates past maxBytes', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
      res.end(bomb);
    });
    const res = await fetcher().get(server.origin);
    let read = 0;
    const error = await refusalOf(
      (async () => {
        for await (const chunk of res.body()) read += chunk.length;
      })(),
    );
    expect(error.reason).toBe('too-large');
    expect(read).toBeLessThanOrEqual(1024 * 1024);
  });

  it.each([
    ['gzip', zlib.gzipSync],
    ['deflate', zlib.deflateSync],
    ['br', zlib.brotliCompressSync],
  ] as const)('decodes a %s body', async (encoding, compress) => {
    const json = JSON.stringify({ type: 'FeatureCollection', name: 'Caerdydd', features: [] });
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/geo+json', 'content-encoding': encoding });
      res.end(compress(Buffer.from(json)));
    });
    const res = await fetcher().get(server.origin);
    expect(await res.text()).toBe(json);
  });

  it('reports a corrupt gzip body as a network failure', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(Buffer.from('this is not gzip at all'));
    });
    const res = await fetcher().get(server.origin);
    const error = await refusalOf(res.text());
    expect(error.reason).toBe('network');
    expect(error.message).toContain('could not be decompressed');
  });

  it('decodes text by the charset in Content-Type', async () => {
    const server = await startServer((req, res) => {
      const latin1 = req.url === '/latin1';
      res.writeHead(200, { 'content-type': latin1 ? 'text/csv; charset="ISO-8859-1"' : 'text/csv' });
      res.end(Buffer.from('enw\nYnys Môn\n', latin1 ? 'latin1' : 'utf8'));
    });
    expect(await (await fetcher().get(`${server.origin}/latin1`)).text()).toBe('enw\nYnys Môn\n');
    expect(await (await fetcher().get(`${server.origin}/utf8`)).text()).toBe('enw\nYnys Môn\n');
  });

  it.each(['file:///etc/passwd', 'ftp://127.0.0.1/layer.zip', 'data:text/plain,hello', 'javascript:alert(1)', 'not a web address', 'http://officer:s3cret@127.0.0.1/'])(
    'refuses %s as a bad URL',
    async (url) => {
      const error = await refusalOf(fetcher().get(url));
      expect(error.reason).toBe('bad-url');
      expect(error.message).not.toContain('s3cret');
    },
  );

  it('reports a closed port on allowlisted 127.0.0.1 as connection refused', async () => {
    const port = await closedPort();
    const error = await refusalOf(fetcher().get(`http://127.0.0.1:${port}/`));
    expect(error.reason).toBe('network');
    expect(error.message).toBe(`Could not connect to 127.0.0.1:${port}: connection refused.`);
  });

  it('reports a name that does not resolve as a network failure naming the host', async () => {
    const dns = stubResolver({});
    const error = await refusalOf(fetcher({ resolve: dns.resolve }).get('http://nowhere.test/'));
    expect(error.reason).toBe('network');
    expect(error.message).toBe('Could not connect to nowhere.test: no such host name exists.');
  });

  it("rethrows the caller's abort while waiting for an answer", async () => {
    const server = await startServer(() => {});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await rejectionOf(fetcher().get(server.origin, { signal: controller.signal }));
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
  });

  it("rethrows the caller's abort reason while reading the body", async () => {
    const server = await startServer((_req, res) => res.write('partial'));
    const controller = new AbortController();
    const res = await fetcher().get(server.origin, { signal: controller.signal });
    const reading = res.text();
    const reason = new Error('The officer cancelled the harvest.');
    controller.abort(reason);
    expect(await rejectionOf(reading)).toBe(reason);
  });

  it('does not connect when the signal is already aborted', async () => {
    const server = await startServer((_req, res) => res.end('should not be reached'));
    const error = await rejectionOf(fetcher().get(server.origin, { signal: AbortSignal.abort() }));
    expect((error as DOMException).name).toBe('AbortError');
    expect(server.connections).toBe(0);
  });
});
