// B-objection: npm run bench:objection [-- --messages N --seconds S --rate R]
// On PostgreSQL: a campaign of N (default 100,000) recipients with email consent is sent by the
// real engine (createDispatcher, the server's settings, DKIM RSA-2048) to an SMTP sink, while the
// server (createApp on 127.0.0.1, the same process, as `npm start` runs it) answers RFC 8058
// one-click POSTs (`/u/:token`, body `List-Unsubscribe=One-Click`, the token of each message's
// List-Unsubscribe header). The sink and the mail clients run in a worker thread
// (objection-world.ts): the outside world, timed apart from the server's event loop.
//   phase 1: the send alone, after a warm-up: its rate over --window s (or 20% of N messages);
//   phase 2: R one-click POSTs/s for S s (default 200/s for 30 s), open loop (each starts at its
//            time whatever the earlier ones do), keep-alive, to recipients a little ahead of the
//            send's front (not yet sent: queued, or claimed in the batch in hand);
//   phase 3: the send alone again for --after s (the rows objected last are reached meanwhile).
// Prints a JSON summary and a table: latency from each POST's scheduled time to its 2xx (the
// route answers once the objection committed), messages received after their recipient's 2xx,
// and the phase-2 send rate beside phase 1's. Targets: p99 <= 50 ms, 0 after, ratio >= 0.8.
// Exits 0 when the run completed, whether or not the targets were met (MISSED says which).
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { createPostgresDatabase } from '../test/test-db.ts';
import { dkimKeys } from '../test/smtp-sink.ts';
import { tempDir, writeCsv } from '../test/files.ts';
import { createServices, type Services } from '../src/services.ts';
import { createDispatcher } from '../src/dispatch/create-dispatcher.ts';
import type { Dispatcher } from '../src/dispatch/dispatcher.ts';
import { createApp } from '../src/http/app.ts';
import { openIdentity } from '../src/domain/contacts/identity.ts';
import { importContacts } from '../src/domain/contacts/import/import-contacts.ts';
import { unsubscribeToken } from '../src/domain/objections/unsubscribe-token.ts';
import { updateOrganisation } from '../src/domain/organisations/organisations.ts';
import { createCampaign, moveCampaign } from '../src/domain/outreach/campaigns.ts';
import { planCampaign } from '../src/domain/outreach/plan-campaign.ts';
import { saveSegment } from '../src/domain/segments/segments.ts';
import { benchOrganisation } from './setup.ts';
import type { WorldResult, WorldRun } from './objection-world.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '30' },
    rate: { type: 'string', default: '200' },
    window: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    after: { type: 'string', default: '10' },
    ahead: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '14' },
  },
});
const N = Number(values.messages);
const SECONDS = Number(values.seconds);
const RATE = Number(values.rate);
const TARGETS = { p99Ms: 50, lateMessages: 0, rateRatio: 0.8 };
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';

const log = (line: string) => process.stderr.write(`bench:objection: ${line}\n`);

// The outside world: the sink first (the engine needs its address).
// (tsx's loader does not reach worker threads by itself: the worker imports its file through tsx.)
const worldUrl = new URL('./objection-world.ts', import.meta.url).href;
const world = new Worker(
  `import('tsx/esm/api').then((m) => m.tsImport(${JSON.stringify(worldUrl)}, ${JSON.stringify(import.meta.url)}))`,
  { eval: true },
);
const worldMessages: { type: string; [k: string]: unknown }[] = [];
const worldWaiters = new Set<() => void>();
const wakeWorldWaiters = () => {
  for (const wake of [...worldWaiters]) wake();
};
let worldError: unknown;
world.on('message', (m) => {
  worldMessages.push(m);
  wakeWorldWaiters();
});
world.on('error', (e) => {
  worldError = e;
  wakeWorldWaiters();
});
/** The next message of a type from the worker (bounded: a hung worker fails the run). */
async function fromWorld<T>(type: string, timeoutMs = 600_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (worldError) throw worldError;
    const i = worldMessages.findIndex((m) => m.type === type);
    if (i >= 0) return worldMessages.splice(i, 1)[0] as T;
    const left = deadline - performance.now();
    if (left <= 0) throw new Error(`worker: no ${type} within ${timeoutMs} ms`);
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        worldWaiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, left);
      worldWaiters.add(wake);
    });
  }
}

const sinkPort = (await fromWorld<{ port: number }>('sink', 30_000)).port;
const files = tempDir('isoloir-bench-objection-');
const dkim = dkimKeys(files.dir);
const database = await createPostgresDatabase();
let s: Services | undefined;
let server: ServerType | undefined;
let dispatcher: Dispatcher | undefined;

const pct = (sorted: number[], p: number) =>
  sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
    : 0;
const ms = (x: number) => Number(x.toFixed(1));

try {
  s = await createServices({
    databaseUrl: database.url,
    dataDir: 'unused',
    masterKey: { kind: 'env', key: randomBytes(32) },
    email: {
      smtpUrl: `smtp://127.0.0.1:${sinkPort}`,
      dkim,
      publicUrl: 'https://isoloir.bench.example',
      leaseSeconds: 120,
    },
  });
  const services = s;
  const setupStarted = performance.now();
  const { org, source } = await benchOrganisation(services);
  await updateOrganisation(services.db, {
    orgId: org.id,
    input: { noticePurposes: 'vous informer de la campagne', noticeRecipients: 'l’équipe' },
    actor: 'bench',
  });
  // Every row with its own email consent, naming political messages (CH-CONSENT).
  const rows = [
    ['Nom', 'Prénom', 'Email', 'Consentement email', 'Texte consentement', 'Date consentement'],
  ];
  const wording = 'J’accepte de recevoir les messages politiques de la liste Bench par email';
  for (let i = 0; i < N; i++)
    rows.push([`Nom${i}`, `Prénom${i}`, `p${i}@bench.example`, 'oui', wording, '2026-01-15']);
  const signups = await source('supporter_signup', { label: 'Inscriptions au site' });
  await importContacts(services.db, {
    keys: services.keys,
    sourceId: signups.id,
    file: writeCsv(files.file('people.csv'), rows),
    actor: 'bench',
    clock: services.clock,
  });
  const consented = (await services.db.execute(
    sql`select count(*)::int as n from contacts where consent_email = 'granted'`,
  )) as unknown as { rows: { n: number }[] };
  if (consented.rows[0]!.n !== N)
    throw new Error(`${consented.rows[0]!.n} contacts with email consent, expected ${N}`);
  const segment = await saveSegment(services.db, {
    orgId: org.id,
    input: { name: 'Tous', where: { and: [] } },
    actor: 'bench',
  });
  const campaign = await createCampaign(services.db, {
    orgId: org.id,
    input: {
      segmentId: segment.id,
      fromName: 'Liste Bench',
      fromEmail: 'contact@exemple-2027.fr',
      subject: 'Bonjour {{firstName}}',
      body: '# Réunion publique\n\nBonjour {{firstName}} {{lastName}}, venez jeudi à 19 h.\n\n- salle des fêtes\n- entrée libre',
    },
    actor: 'bench',
    clock: services.clock,
  });
  const plan = await planCampaign(services.db, {
    campaignId: campaign.id,
    actor: 'bench',
    clock: services.clock,
  });
  if (plan.recipients !== N) throw new Error(`planned ${plan.recipients}, expected ${N}`);
  await moveCampaign(services.db, {
    campaignId: campaign.id,
    move: 'send',
    actor: 'bench',
    clock: services.clock,
  });

  // Each recipient's address and one-click token, in the order the engine claims them.
  const outboxRows = (await services.db.execute(sql`
    select o.message_ref, c.id as contact_id, c.identity from outbox o
    join contacts c on c.id = o.contact_id where o.campaign_id = ${campaign.id} order by o.id`)) as unknown as {
    rows: { message_ref: string; contact_id: string; identity: Buffer }[];
  };
  const orgKeys = await services.keys.forOrg(services.db, org.id);
  const recipients = outboxRows.rows.map((r) => ({
    email: openIdentity(orgKeys, org.id, r.contact_id, Buffer.from(r.identity)).email!,
    token: unsubscribeToken(services.keys.unsubscribeKey(), r.message_ref),
  }));
  const refs = outboxRows.rows.map((r) => r.message_ref);
  log(`${N} recipients ready in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`);

  // The server, as `npm start` mounts it.
  const app = createApp(services);
  const httpPort = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve(info.port),
    );
  });

  const spec: WorldRun = {
    type: 'run',
    rows: recipients,
    baseUrl: `http://127.0.0.1:${httpPort}`,
    warmupMs: Number(values.warmup) * 1000,
    windowMs: Number(values.window) * 1000,
    windowMessages: Math.min(20_000, Math.floor(N / 5)),
    objectionMs: SECONDS * 1000,
    rate: RATE,
    afterMs: Number(values.after) * 1000,
    ahead: Number(values.ahead),
    seed: Number(values.seed),
  };
  world.postMessage(spec);
  await fromWorld('ready', 60_000);

  // The server's event loop, per phase (how long a ready request may wait for the thread).
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const loopByPhase: Record<string, { p99Ms: number; maxMs: number }> = {};
  const phaseMarks = ['phase1', 'phase2', 'phase3'];
  // What the database's connections are doing during phase 2, sampled each second from a
  // connection of the bench's own (why an objection waits: a lock, a client, the CPU).
  const waits: Record<string, number> = {};
  let samples = 0;
  const watcher = new pg.Client({ connectionString: database.url });
  await watcher.connect();
  const sampleWaits = async (until: { done: boolean }) => {
    while (!until.done) {
      const { rows } = await watcher.query<{ what: string; n: number }>(`
        select coalesce(state, '?') || ' ' || coalesce(wait_event_type || ':' || wait_event, 'cpu') as what,
          count(*)::int as n
        from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
        group by 1`);
      for (const r of rows) waits[r.what] = (waits[r.what] ?? 0) + r.n;
      samples++;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  const watchPhases = (async () => {
    for (const name of phaseMarks) {
      await fromWorld(`${name}-start`);
      loop.reset();
      const until = { done: false };
      const sampling = name === 'phase2' ? sampleWaits(until) : Promise.resolve();
      await fromWorld(`${name}-end`);
      until.done = true;
      await sampling;
      loopByPhase[name] = {
        p99Ms: ms(loop.percentile(99) / 1e6),
        maxMs: ms(loop.max / 1e6),
      };
    }
  })();

  // The engine with the server's settings (main.ts: createDispatcher(services, { logger })).
  dispatcher = createDispatcher(services, {
    onError: (error) => log(`dispatcher pass failed: ${(error as Error).name ?? 'error'}`),
  });
  dispatcher.start();
  const totalMs = spec.warmupMs + spec.windowMs + spec.objectionMs + spec.afterMs;
  await fromWorld('phases-done', totalMs + 120_000);
  await watchPhases;
  loop.disable();
  await watcher.end();
  await dispatcher.close();
  dispatcher = undefined;
  world.postMessage({ type: 'finish' });
  const r = await fromWorld<WorldResult>('result', 60_000);

  // What each objected row became: suppressed (the engine saw the objection), sent (it went out
  // before the objection's answer), or still queued when the run stopped.
  const objectedRefs = r.requests.map((q) => refs[q.index]!);
  const states = (await services.db.execute(sql`
    select state, count(*)::int as n from outbox
    where message_ref = any(${sql.param(objectedRefs)}::text[]) group by state order by state`)) as unknown as {
    rows: { state: string; n: number }[];
  };

  const ok = r.requests.filter((q) => q.status >= 200 && q.status < 300);
  const errors = r.requests.length - ok.length;
  const errorKinds: Record<string, number> = {};
  for (const q of r.requests)
    if (!(q.status >= 200 && q.status < 300)) {
      const k = q.error ?? `status ${q.status}`;
      errorKinds[k] = (errorKinds[k] ?? 0) + 1;
    }
  const latency = ok.map((q) => q.done - q.scheduled).sort((a, b) => a - b);
  const lag = r.requests.map((q) => q.started - q.scheduled).sort((a, b) => a - b);
  const late = ok.filter((q) => (r.receivedAt[q.index] ?? 0) > q.done);
  const rcptLate = ok.filter((q) => (r.rcptAt[q.index] ?? 0) > q.done);
  const sentBefore = ok.filter((q) => r.receivedAt[q.index] !== undefined).length;
  const rate = (p: WorldResult['phase1']) => p.received / ((p.end - p.start) / 1000);
  const rate1 = rate(r.phase1);
  const rate2 = rate(r.phase2);
  const rate3 = rate(r.phase3);
  // Out of messages: nothing left queued but rows objected to (the rates then mean little).
  const left = (await services.db.execute(sql`
    select count(*)::int as n from outbox where campaign_id = ${campaign.id} and state = 'queued'
      and not (message_ref = any(${sql.param(objectedRefs)}::text[]))`)) as unknown as {
    rows: { n: number }[];
  };
  const ranOut = left.rows[0]!.n === 0;
  const p99 = pct(latency, 99);
  const summary = {
    messages: N,
    engine: 'createDispatcher(services) defaults, DKIM RSA-2048, in the server process',
    phase1: {
      seconds: ms((r.phase1.end - r.phase1.start) / 1000),
      received: r.phase1.received,
      msgPerSecond: Math.round(rate1),
      eventLoop: loopByPhase.phase1,
    },
    phase2: {
      seconds: ms((r.phase2.end - r.phase2.start) / 1000),
      received: r.phase2.received,
      msgPerSecond: Math.round(rate2),
      eventLoop: loopByPhase.phase2,
    },
    phase3: {
      seconds: ms((r.phase3.end - r.phase3.start) / 1000),
      received: r.phase3.received,
      msgPerSecond: Math.round(rate3),
      eventLoop: loopByPhase.phase3,
    },
    rateRatio: Number((rate2 / rate1).toFixed(2)),
    objections: {
      rate: RATE,
      scheduled: Math.floor(SECONDS * RATE),
      sent: r.requests.length,
      ok: ok.length,
      errors,
      errorKinds,
      latencyMs: {
        p50: ms(pct(latency, 50)),
        p95: ms(pct(latency, 95)),
        p99: ms(p99),
        max: ms(latency.at(-1) ?? 0),
      },
      startLagMs: { p99: ms(pct(lag, 99)), max: ms(lag.at(-1) ?? 0) },
      rowStates: Object.fromEntries(states.rows.map((x) => [x.state, x.n])),
      sentBeforeTheirAnswer: sentBefore,
    },
    /** Connections of the bench's database by state and wait, averaged over phase 2's samples. */
    phase2Connections: Object.fromEntries(
      Object.entries(waits)
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => [k, Number((n / Math.max(1, samples)).toFixed(1))]),
    ),
    lateMessages: late.length,
    rcptAfterAnswer: rcptLate.length,
    duplicates: r.duplicates,
    receivedTotal: r.receivedTotal,
    ranOutOfMessages: ranOut,
    targets: TARGETS,
  };
  console.log(JSON.stringify(summary));

  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  const table = [
    ['measure', 'target', 'measured', 'result'],
    ['send rate alone (phase 1)', '', `${Math.round(rate1)} msg/s`, ''],
    [`send rate under ${RATE} objections/s`, '', `${Math.round(rate2)} msg/s`, ''],
    ['send rate alone after (phase 3)', '', `${Math.round(rate3)} msg/s`, ''],
    [
      'phase 2 / phase 1',
      `>= ${TARGETS.rateRatio}x`,
      `${summary.rateRatio}x`,
      verdict(summary.rateRatio >= TARGETS.rateRatio),
    ],
    ['objection p50 / p95', '', `${ms(pct(latency, 50))} / ${ms(pct(latency, 95))} ms`, ''],
    ['objection p99', `<= ${TARGETS.p99Ms} ms`, `${ms(p99)} ms`, verdict(p99 <= TARGETS.p99Ms)],
    ['objection max', '', `${ms(latency.at(-1) ?? 0)} ms`, ''],
    ['objection errors', '0', `${errors} of ${r.requests.length}`, verdict(errors === 0)],
    [
      'messages after their 2xx',
      '0',
      `${late.length} (of ${ok.length} objections)`,
      verdict(late.length === 0),
    ],
    ['duplicates at the sink', '0', `${r.duplicates}`, verdict(r.duplicates === 0)],
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  for (const row of table) log(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
  if (ranOut)
    log('MISSED: the campaign ran out of messages before phase 2 ended (raise --messages)');
  if (r.requests.length < Math.floor(SECONDS * RATE))
    log(`MISSED: only ${r.requests.length} objections sent (no unsent recipient left ahead)`);
} finally {
  await dispatcher?.close().catch(() => {});
  if (server) {
    const closing = server;
    await new Promise<void>((resolve) => {
      closing.close(() => resolve());
      (closing as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    });
  }
  await s?.close();
  await database.drop();
  await world.terminate();
  files.remove();
}
