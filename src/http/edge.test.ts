// The HTTP edge: bodies are capped before they are buffered, every request has an id an operator
// can match to the log, and every answer carries the secure headers of its kind of page.
import net from 'node:net';
import { Writable } from 'node:stream';
import { serve, type ServerType } from '@hono/node-server';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg } from '../../test/factories.ts';
import { makeStaff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { createApp, MAX_JSON_BYTES } from './app.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
let server: ServerType;
let port: number;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  s = await openTestServices();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  // Without the built web app, whose catch-all would answer the route added below with a 404.
  app = createApp(s, pino({ level: 'info' }, sink), { webDist: '/nonexistent-web-dist' });
  // A route that fails unexpectedly, as a bug would.
  app.get('/api/test-failure', () => {
    throw new Error('something broke inside');
  });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      port = info.port;
      resolve();
    });
  });
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await s.dispose();
});

const FIFTY_MB = 50 * 1024 ** 2;

/** Sends raw bytes over a socket; resolves with the first answer's head, and what was sent. */
function rawExchange(head: string, send: (socket: net.Socket) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(head);
      send(socket);
    });
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n\r\n')) {
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on('error', reject);
  });
}

describe('a request body over the cap is refused before it is read', () => {
  it('answers 413 to a 50 MB Content-Length at once, with only a few bytes sent', async () => {
    const rssBefore = process.memoryUsage().rss;
    const answer = await rawExchange(
      [
        'POST /api/session HTTP/1.1',
        'Host: 127.0.0.1',
        'Content-Type: application/json',
        `Content-Length: ${FIFTY_MB}`,
        '',
        '',
      ].join('\r\n'),
      // A little of the body, then nothing: an answer can only come from the header.
      (socket) => socket.write('{"email":"'),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.toLowerCase()).toContain('content-type: application/json');
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(FIFTY_MB);
  });

  it('answers 413 to a chunked body once it passes the cap, long before its end', async () => {
    const rssBefore = process.memoryUsage().rss;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const answer = await rawExchange(
      [
        'POST /api/session HTTP/1.1',
        'Host: 127.0.0.1',
        'Content-Type: application/json',
        'Transfer-Encoding: chunked',
        '',
        '',
      ].join('\r\n'),
      // Just over the cap of a body meant to be 50 MB; the last chunk is never sent.
      (socket) => {
        for (let sent = 0; sent <= MAX_JSON_BYTES; sent += chunk.length)
          socket.write(`${chunk.length.toString(16)}\r\n${chunk.toString()}\r\n`);
      },
    );
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(FIFTY_MB);
  });

  it('answers 413 with the usual error body and a stable key, in process too', async () => {
    const res = await app.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(FIFTY_MB) },
      body: '{}',
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatchObject({
      code: 'too_large',
      key: 'http.body_too_large',
      params: { limit: '1 MiB' },
      rule: null,
    });
    // Without a declared length, the stream is counted as it is read.
    const stream = new ReadableStream({
      pull(controller) {
        controller.enqueue(new Uint8Array(256 * 1024).fill(32));
      },
    });
    const chunked = await app.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('lets a JSON body under the cap through to its route', async () => {
    const res = await app.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@example.org', password: 'x'.repeat(10) }),
    });
    expect(res.status).toBe(401);
  });

  it('gives the file routes a bigger cap (2 GiB) than JSON', async () => {
    const path = '/api/sources/5b1f7c1e-0000-4000-8000-000000000000/imports/preview';
    const big = await app.request(path, {
      method: 'POST',
      headers: {
        'content-type': 'multipart/form-data; boundary=x',
        'content-length': String(3 * 1024 ** 3),
      },
      body: '--x--',
    });
    expect(big.status).toBe(413);
    expect((await big.json()).error.params).toEqual({ limit: '2 GiB' });
    const midsize = await app.request(path, {
      method: 'POST',
      headers: {
        'content-type': 'multipart/form-data; boundary=x',
        'content-length': String(5 * MAX_JSON_BYTES),
      },
      body: '--x--',
    });
    // Past the JSON cap, under the file cap: the route answers (here: not signed in).
    expect(midsize.status).toBe(401);
  });
});

describe('a segment filter too large is refused with one error over HTTP', () => {
  it('answers 10,000 conditions with one 400 naming the limit', async () => {
    const orgId = (await makeOrg(s)).id;
    const { token } = await makeStaff(s, orgId, 'viewer');
    const res = await app.request(`/api/orgs/${orgId}/segments/count`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        where: { or: Array.from({ length: 10_000 }, () => ({ field: 'x', op: 'eq', value: 1 })) },
      }),
    });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error).toMatchObject({ key: 'segment.filter_too_many_nodes', params: { limit: 500 } });
    expect(error.violations).toBeUndefined();
    expect(error.message.length).toBeLessThan(200);
  });
});

describe('every request has an id an operator can match to the log', () => {
  it('puts the id in the answer header and the request log line, keeping a sane incoming one', async () => {
    const res = await app.request('/health', { headers: { 'x-request-id': 'lb-1234-abcd' } });
    expect(res.headers.get('x-request-id')).toBe('lb-1234-abcd');
    expect(lines.find((l) => l.msg === 'request' && l.requestId === 'lb-1234-abcd')).toBeDefined();
    for (const bad of ['a'.repeat(65), 'name with spaces', 'x"; drop']) {
      const other = await app.request('/health', { headers: { 'x-request-id': bad } });
      expect(other.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("puts the id in a 500's body and in the 'unexpected error' log line", async () => {
    const res = await app.request('/api/test-failure');
    expect(res.status).toBe(500);
    const body = await res.json();
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.error).toMatchObject({ code: 'internal', requestId: id });
    expect(JSON.stringify(body)).not.toContain('something broke');
    const logged = lines.find((l) => l.msg === 'unexpected error' && l.requestId === id);
    expect(logged).toBeDefined();
    expect(lines.find((l) => l.msg === 'request' && l.requestId === id)).toMatchObject({
      status: 500,
    });
  });
});

describe('every answer carries the secure headers of its kind of page', () => {
  it('keeps the public pages script-free, unframeable and without referrer', async () => {
    const res = await app.request('/privacy/5b1f7c1e-0000-4000-8000-000000000000');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const link = await app.request('/u/not-a-real-token');
    expect(link.headers.get('x-frame-options')).toBe('DENY');
    expect(link.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  });

  it('sends the API answers, errors included, with nosniff, no framing and no referrer', async () => {
    for (const path of ['/api/session', '/api/no-such-route', '/health']) {
      const res = await app.request(path);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('content-security-policy'), path).toMatch(/default-src 'none'/);
      expect(res.headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
    }
    const refused = await app.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(FIFTY_MB) },
      body: '{}',
    });
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
