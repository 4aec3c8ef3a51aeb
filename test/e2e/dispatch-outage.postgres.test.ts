// Acceptance (outages): PostgreSQL ends the server's connections in the middle of a send (a
// restart, a failover, pg_terminate_backend), five times, and once refuses every connection for a
// few seconds. The server process never exits, /health says 503 (with the reason) while the
// database cannot be reached and 200 once it can again, and the campaign finishes by itself with
// nobody sent two copies and every recorded outcome matching what the SMTP server received.
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../factories.ts';
import { tempDir, writeCsv } from '../files.ts';
import { startServer, type ServerProcess } from '../processes.ts';
import { startSmtpSink } from '../smtp-sink.ts';
import { openTestServices, type TestServices } from '../test-db.ts';
import { importContacts } from '../../src/domain/contacts/import/import-contacts.ts';
import {
  campaignStatus,
  createCampaign,
  moveCampaign,
} from '../../src/domain/outreach/campaigns.ts';
import { planCampaign } from '../../src/domain/outreach/plan-campaign.ts';
import { saveSegment } from '../../src/domain/segments/segments.ts';

const PEOPLE = 2500;
const TERMINATIONS = 5;
const files = tempDir('isoloir-outage-');
let s: TestServices;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let campaignId: string;
let dbName: string;
let env: NodeJS.ProcessEnv;
/** A connection to another database of the same PostgreSQL (DATABASE_URL's): never terminated. */
let admin: pg.Client;

beforeAll(async () => {
  s = await openTestServices();
  dbName = new URL(s.config.databaseUrl!).pathname.slice(1);
  admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  admin.on('error', () => {});
  await admin.connect();
  // A server slow enough that the send outlasts the faults (the test checks that it did).
  sink = await startSmtpSink({ delayMs: 10 });
  const org = await makeOrg(s, { noticePurposes: 'informer', noticeRecipients: 'l’équipe' });
  const source = await makeSource(s, org.id, { type: 'supporter_signup' });
  const rows = [['Nom', 'Prénom', 'Email']];
  for (let i = 0; i < PEOPLE; i++) rows.push([`Nom${i}`, `Prénom${i}`, `p${i}@outage.example`]);
  await importContacts(s.db, {
    keys: s.keys,
    sourceId: source.id,
    file: writeCsv(files.file('people.csv'), rows),
    actor: 'test',
    clock: s.clock,
  });
  const segment = await saveSegment(s.db, {
    orgId: org.id,
    input: { name: 'Tous', where: { and: [] } },
    actor: 'test',
  });
  const campaign = await createCampaign(s.db, {
    orgId: org.id,
    input: {
      segmentId: segment.id,
      fromName: 'Liste',
      fromEmail: 'contact@outage.example',
      subject: 'Bonjour {{firstName}}',
      body: 'Bonjour',
    },
    actor: 'test',
    clock: s.clock,
  });
  campaignId = campaign.id;
  expect((await planCampaign(s.db, { campaignId, actor: 'test', clock: s.clock })).recipients).toBe(
    PEOPLE,
  );
  await moveCampaign(s.db, { campaignId, move: 'send', actor: 'test', clock: s.clock });
  const key = (k: TestServices['config']['masterKey']) =>
    k.kind === 'env' ? k.key.toString('hex') : '';
  env = {
    DATABASE_URL: s.config.databaseUrl,
    ISOLOIR_MASTER_KEY: key(s.config.masterKey),
    ISOLOIR_AUDIT_KEY: key(s.config.auditKey!),
    ISOLOIR_SMTP_URL: sink.url,
    ISOLOIR_PUBLIC_URL: 'https://isoloir.outage.example',
    // Rows of a group whose connection died are resolved quickly.
    ISOLOIR_DISPATCH_LEASE_SECONDS: '2',
    ISOLOIR_LOG_LEVEL: 'info',
  };
}, 180_000);
afterAll(async () => {
  await admin.query(`alter database ${dbName} with allow_connections true`).catch(() => undefined);
  await admin.end().catch(() => undefined);
  await sink?.close();
  await s?.dispose();
  files.remove();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The server under test, and why it stopped should it stop (it must not). */
let serverDied: (() => string | undefined) | undefined;
const waitFor = async (test: () => boolean | Promise<boolean>, ms: number, what: string) => {
  const until = Date.now() + ms;
  for (;;) {
    const died = serverDied?.();
    if (died) throw new Error(`the server exited while waiting for ${what}: ${died}`);
    if (await test()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
};

/** Ends every connection to the test's database but the caller's own; how many it ended. */
async function terminateConnections(): Promise<number> {
  const killed = await admin.query(
    'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
    [dbName],
  );
  return killed.rowCount ?? 0;
}

const healthOf = async (server: ServerProcess) => {
  const res = await fetch(`http://127.0.0.1:${server.port}/health`, {
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: (await res.json()) as unknown };
};

/** Message-IDs are <message_ref@domain>: what the sink received, by outbox row. */
const refOf = (raw: Buffer) => /^Message-ID:\s*<([^@>]+)@/im.exec(raw.toString('latin1'))?.[1];

describe('the server through PostgreSQL outages during a send', () => {
  it('does not exit, says 503 while the database is away, and finishes the send with no second copy', async () => {
    const server = await startServer(env);
    let exitedWith: number | null | undefined;
    void server.exited.then((code) => (exitedWith = code));
    serverDied = () =>
      exitedWith === undefined ? undefined : `code ${exitedWith}\n${server.stderr().slice(-2000)}`;
    try {
      // Connections in use inside send groups are ended, again and again, mid-send.
      for (let round = 0; round < TERMINATIONS; round++) {
        const target = Math.floor((PEOPLE * (round + 1)) / 10);
        await waitFor(() => sink.received.length >= target, 60_000, `${target} messages`);
        expect(await terminateConnections()).toBeGreaterThan(0);
        // The race happened: the send was still under way when its connections went.
        expect(sink.received.length).toBeLessThan(PEOPLE);
        expect(exitedWith, server.stderr()).toBeUndefined();
      }

      // Then the database refuses every connection for a while: /health says so, with the reason.
      const target = Math.floor(PEOPLE * 0.6);
      await waitFor(() => sink.received.length >= target, 60_000, `${target} messages`);
      await admin.query(`alter database ${dbName} with allow_connections false`);
      let unavailable: { status: number; body: unknown } | undefined;
      try {
        await terminateConnections();
        expect(sink.received.length).toBeLessThan(PEOPLE);
        const refusedFrom = Date.now();
        await waitFor(
          async () => {
            const h = await healthOf(server);
            if (h.status !== 200) unavailable = h;
            return unavailable !== undefined && Date.now() - refusedFrom > 2000;
          },
          30_000,
          '/health to answer that the database is away',
        );
      } finally {
        await admin.query(`alter database ${dbName} with allow_connections true`);
      }
      expect(unavailable).toEqual({
        status: 503,
        body: { status: 'unavailable', reason: 'the database cannot be reached' },
      });
      expect(exitedWith, server.stderr()).toBeUndefined();
      // Back by itself: nothing restarted it.
      await waitFor(
        async () => (await healthOf(server)).status === 200,
        30_000,
        '/health to answer 200 again',
      );
      expect(await healthOf(server)).toEqual({
        status: 200,
        body: { status: 'ok', database: 'postgres' },
      });

      // The send resumes and finishes, its campaign in a terminal state.
      await waitFor(
        async () =>
          ['done', 'done_with_unknown'].includes(
            (await campaignStatus(s.db, { campaignId })).state,
          ),
        120_000,
        'the campaign to finish',
      );
      expect(exitedWith, server.stderr()).toBeUndefined();
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }

    const status = await campaignStatus(s.db, { campaignId });
    expect(status.counts).toMatchObject({ queued: 0, sending: 0, failed: 0, suppressed: 0 });
    expect(status.counts.sent + status.counts.unknown).toBe(PEOPLE);
    expect(status.state).toBe(status.counts.unknown > 0 ? 'done_with_unknown' : 'done');

    // Nobody received two copies.
    const copies = new Map<string, number>();
    for (const m of sink.received) for (const to of m.to) copies.set(to, (copies.get(to) ?? 0) + 1);
    expect([...copies.entries()].filter(([, n]) => n > 1)).toEqual([]);
    // Every row recorded sent was received; whatever was received is recorded sent or unknown
    // (a group whose connection died after the hand-over), never queued or lost.
    const rows = (await s.db.execute(
      sql`select message_ref, state from outbox where campaign_id = ${campaignId}`,
    )) as unknown as { rows: { message_ref: string; state: string }[] };
    const received = new Set(sink.received.map((m) => refOf(m.raw)));
    expect(received.size).toBe(sink.received.length);
    const stateOf = new Map(rows.rows.map((r) => [r.message_ref, r.state]));
    const sentNotReceived = rows.rows.filter(
      (r) => r.state === 'sent' && !received.has(r.message_ref),
    );
    expect(sentNotReceived).toEqual([]);
    const receivedNotRecorded = [...received].filter(
      (ref) => !['sent', 'unknown'].includes(stateOf.get(ref!) ?? 'none'),
    );
    expect(receivedNotRecorded).toEqual([]);
  }, 300_000);
});
