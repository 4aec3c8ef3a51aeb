// B-objection's outside world, in a worker thread of its own so that its timing does not depend on
// the server's event loop: the SMTP sink that receives the campaign (recipient and time of each
// message) and the mail clients that send RFC 8058 one-click POSTs on an open-loop schedule.
// All times are this thread's performance.now(), so the sink's and the clients' compare directly.
import http from 'node:http';
import { parentPort } from 'node:worker_threads';
import { SMTPServer } from 'smtp-server';

export type WorldRun = {
  type: 'run';
  /** The campaign's recipients in the order the engine claims them (outbox id). */
  rows: { email: string; token: string }[];
  baseUrl: string;
  warmupMs: number;
  /** Phase 1 ends after this long or this many messages, whichever comes first. */
  windowMs: number;
  windowMessages: number;
  objectionMs: number;
  rate: number;
  afterMs: number;
  /** Objections go to recipients at most this many places ahead of the send's front. */
  ahead: number;
  seed: number;
};

export type Phase = { start: number; end: number; received: number };

export type WorldResult = {
  type: 'result';
  phase1: Phase;
  phase2: Phase;
  phase3: Phase;
  /** Per request: scheduled, started, answered (2xx or error) times, the row it named. */
  requests: {
    index: number;
    scheduled: number;
    started: number;
    done: number;
    status: number;
    error?: string;
  }[];
  /** When the sink received the whole message (end of DATA) and its RCPT TO, per row index. */
  receivedAt: Record<number, number>;
  rcptAt: Record<number, number>;
  receivedTotal: number;
  lastReceivedAt: number;
  /** Recipients received more than once (the engine's other promise). */
  duplicates: number;
};

const port = parentPort!;
const now = () => performance.now();

let rows: WorldRun['rows'] = [];
const indexOf = new Map<string, number>();
let receivedAt = new Float64Array(0);
let rcptAt = new Float64Array(0);
let receivedTotal = 0;
let duplicates = 0;
let lastReceivedAt = 0;
let front = -1; // highest claim-order index received
let firstReceived: () => void = () => {};
const first = new Promise<void>((resolve) => (firstReceived = resolve));

const sink = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onRcptTo(address, _session, callback) {
    const i = indexOf.get(address.address);
    if (i !== undefined && rcptAt[i] === 0) rcptAt[i] = now();
    callback();
  },
  onData(stream, session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => {
      const t = now();
      for (const r of session.envelope.rcptTo) {
        const i = indexOf.get(r.address);
        if (i === undefined) continue;
        if (receivedAt[i] !== 0) duplicates++;
        else receivedAt[i] = t;
        if (i > front) front = i;
      }
      receivedTotal++;
      lastReceivedAt = t;
      firstReceived();
      callback();
    });
  },
});
sink.on('error', () => {});
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
port.postMessage({ type: 'sink', port: (sink.server.address() as { port: number }).port });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** mulberry32: a fixed seed gives the same choices for the same send. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function run(spec: WorldRun) {
  const rand = random(spec.seed);
  const used = new Uint8Array(rows.length);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
  const url = new URL(spec.baseUrl);
  const body = 'List-Unsubscribe=One-Click';
  const requests: WorldResult['requests'] = [];

  /** A recipient not yet received nor objected, a little ahead of the send's front. */
  const pick = () => {
    const base = front + 1;
    for (let tries = 0; tries < 20; tries++) {
      const i = base + Math.floor(rand() * spec.ahead);
      if (i < rows.length && !used[i] && receivedAt[i] === 0) return i;
    }
    for (let i = base; i < rows.length; i++) if (!used[i] && receivedAt[i] === 0) return i;
    return -1;
  };

  const post = (index: number, scheduled: number) =>
    new Promise<void>((resolve) => {
      const entry: WorldResult['requests'][number] = {
        index,
        scheduled,
        started: now(),
        done: 0,
        status: 0,
      };
      requests.push(entry);
      const finish = (status: number, error?: string) => {
        if (entry.done) return;
        entry.done = now();
        entry.status = status;
        if (error) entry.error = error;
        resolve();
      };
      const req = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: `/u/${rows[index]!.token}`,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
          },
          timeout: 30_000,
        },
        (res) => {
          res.on('data', () => {});
          res.on('end', () =>
            finish(res.statusCode ?? 0, res.statusCode! < 300 ? undefined : 'status'),
          );
          res.on('error', (e) => finish(0, e.name));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => finish(0, e.message === 'timeout' ? 'timeout' : e.name));
      req.end(body);
    });

  await Promise.race([first, sleep(60_000)]);
  if (receivedTotal === 0) throw new Error('the sink received nothing within 60 s');
  await sleep(spec.warmupMs);
  const mark = (type: string) => port.postMessage({ type });
  mark('phase1-start');
  const phase1: Phase = { start: now(), end: 0, received: receivedTotal };
  const until1 = phase1.start + spec.windowMs;
  while (now() < until1 && receivedTotal - phase1.received < spec.windowMessages) await sleep(10);
  phase1.end = now();
  phase1.received = receivedTotal - phase1.received;
  mark('phase1-end');
  mark('phase2-start');

  // Phase 2: request k starts at start + k / rate, whatever the earlier ones are doing.
  const phase2: Phase = { start: now(), end: 0, received: receivedTotal };
  const interval = 1000 / spec.rate;
  const total = Math.floor((spec.objectionMs / 1000) * spec.rate);
  const inFlight: Promise<void>[] = [];
  for (let k = 0; k < total; k++) {
    const scheduled = phase2.start + k * interval;
    const wait = scheduled - now();
    if (wait > 1) await sleep(wait);
    const i = pick();
    if (i < 0) break;
    used[i] = 1;
    inFlight.push(post(i, scheduled));
  }
  await sleep(phase2.start + spec.objectionMs - now());
  phase2.end = now();
  phase2.received = receivedTotal - phase2.received;
  mark('phase2-end');
  mark('phase3-start');

  // Phase 3: alone again, the rate after the objections (and time for the send to reach the
  // rows objected last). Requests still unanswered are waited for after it.
  const phase3: Phase = { start: now(), end: 0, received: receivedTotal };
  await sleep(spec.afterMs);
  phase3.end = now();
  phase3.received = receivedTotal - phase3.received;
  mark('phase3-end');
  await Promise.all(inFlight);
  agent.destroy();
  return { phase1, phase2, phase3, requests };
}

let result: Omit<WorldResult, 'type' | 'receivedAt' | 'rcptAt'> | undefined;

port.on('message', async (message: WorldRun | { type: 'finish' }) => {
  if (message.type === 'run') {
    rows = message.rows;
    rows.forEach((r, i) => indexOf.set(r.email, i));
    receivedAt = new Float64Array(rows.length);
    rcptAt = new Float64Array(rows.length);
    port.postMessage({ type: 'ready' });
    const r = await run(message);
    result = { ...r, receivedTotal, lastReceivedAt, duplicates };
    port.postMessage({ type: 'phases-done' });
  } else {
    // Sparse maps: only the rows objected to are needed, plus the totals.
    const objected = new Set(result!.requests.map((q) => q.index));
    const pickTimes = (a: Float64Array) =>
      Object.fromEntries([...objected].filter((i) => a[i] !== 0).map((i) => [i, a[i]!]));
    const out: WorldResult = {
      type: 'result',
      ...result!,
      receivedTotal,
      lastReceivedAt,
      duplicates,
      receivedAt: pickTimes(receivedAt),
      rcptAt: pickTimes(rcptAt),
    };
    await new Promise<void>((resolve) => sink.close(() => resolve()));
    port.postMessage(out);
  }
});
