// The kill test's machinery, shared by its PostgreSQL and embedded versions: a seeded PRNG (a
// failure replays with the same seed), `isoloir campaign send ID --wait` as a child process,
// SIGKILLs of it at random moments mid-send, and the reconciliation of the outbox with what the
// SMTP sink was offered (RCPT TO) and received (after DATA).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { Db } from '../src/db/open-db.ts';
import { openIdentity } from '../src/domain/contacts/identity.ts';
import type { KeyRing } from '../src/domain/organisations/key-ring.ts';
import { smtpChannel } from '../src/dispatch/channels/smtp.ts';
import { importContacts } from '../src/domain/contacts/import/import-contacts.ts';
import { saveSegment } from '../src/domain/segments/segments.ts';
import type { Services } from '../src/services.ts';
import { makeOrg, makeSource } from './factories.ts';
import { writeCsv } from './files.ts';
import { repoRoot } from './processes.ts';
import { makeSendingCampaign } from './sending.ts';
import type { startSmtpSink } from './smtp-sink.ts';

export type Sink = Awaited<ReturnType<typeof startSmtpSink>>;

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * How many messages the SMTP channel the CLI builds (`createDispatcher`: `smtpChannel({url})`)
 * may have in flight at once: `Channel.capacity`, the pool's connections. Read from a channel
 * built the same way; 5 (nodemailer pool default the channel sets) if it does not say.
 */
export async function smtpCapacity(url: string): Promise<number> {
  const channel = smtpChannel({ url });
  try {
    return (channel as { capacity?: number }).capacity ?? 5;
  } finally {
    await channel.close();
  }
}

export type Run = {
  child: ChildProcess;
  /** Exit code, or the signal's name when killed. */
  exited: Promise<number | string | null>;
  stderr: () => string;
};

/** `isoloir campaign send ID --wait --json`, as an operator would run it. */
export function sendWait(campaignId: string, env: NodeJS.ProcessEnv): Run {
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin/isoloir.js'), 'campaign', 'send', campaignId, '--wait', '--json'],
    { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.resume();
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  return { child, exited, stderr: () => stderr };
}

export type Kill = {
  /** Messages the sink received from this run before the kill. */
  receivedThisRun: number;
  /** Milliseconds from the start of the process to its first message at the sink. */
  firstReceiptMs: number;
  /** Milliseconds between the sink's last received message and the kill. */
  sinceLastReceipt: number;
  /** How the process ended: 'SIGKILL' when the kill, not the process, ended it. */
  endedBy: number | string | null;
  /** Campaign state and rows still to send just after the kill. */
  stateAfter: string;
  leftAfter: number;
};

/**
 * Starts the send `kills` times and SIGKILLs it at a random moment of each run. The moments are
 * drawn from `random`, spread over the send: `kills` points uniform in [1, `spread`] messages
 * received by the sink, sorted; each run is killed once the sink has received the next point's
 * count (and at least one message from this run), then after a further 0-30 ms, so that the kill
 * lands anywhere in the SMTP exchange and the group's transaction. Every kill waits for the
 * process to be gone before the next run starts.
 */
export async function killRepeatedly(options: {
  campaignId: string;
  /** The campaign's state and rows left to send (queued + sending), read after each kill. */
  status: () => Promise<{ state: string; left: number }>;
  env: NodeJS.ProcessEnv;
  sink: Sink;
  kills: number;
  spread: number;
  random: () => number;
}): Promise<Kill[]> {
  const { sink, random } = options;
  const done: Kill[] = [];
  const points = Array.from({ length: options.kills }, () => ({
    at: 1 + Math.floor(random() * options.spread),
    pause: Math.floor(random() * 30),
  })).sort((a, b) => a.at - b.at);
  for (const { at, pause } of points) {
    const before = sink.received.length;
    const ahead = Math.max(1, at - before);
    const run = sendWait(options.campaignId, options.env);
    let seen = before;
    const spawnedAt = Date.now();
    let lastReceiptAt = spawnedAt;
    let firstReceiptAt = 0;
    let exited = false;
    void run.exited.then(() => (exited = true));
    // Generous: only turns a process that stopped sending into a failure instead of a hang.
    const until = Date.now() + 90_000;
    while (sink.received.length < before + ahead && !exited && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 2));
      if (sink.received.length !== seen) [seen, lastReceiptAt] = [sink.received.length, Date.now()];
      firstReceiptAt ||= seen > before ? lastReceiptAt : 0;
    }
    const pauseUntil = Date.now() + pause;
    while (Date.now() < pauseUntil) {
      await new Promise((r) => setTimeout(r, 2));
      if (sink.received.length !== seen) [seen, lastReceiptAt] = [sink.received.length, Date.now()];
    }
    const sinceLastReceipt = Date.now() - lastReceiptAt;
    run.child.kill('SIGKILL');
    const endedBy = await run.exited;
    const status = await options.status();
    done.push({
      receivedThisRun: sink.received.length - before,
      firstReceiptMs: firstReceiptAt - spawnedAt,
      sinceLastReceipt,
      endedBy,
      stateAfter: status.state,
      leftAfter: status.left,
    });
  }
  return done;
}

export type Reconciliation = {
  total: number;
  states: Record<string, number>;
  /** Addresses received (after DATA) more than once. */
  receivedTwice: string[];
  /** Addresses offered (RCPT TO) more than once: a hand-over attempted again. */
  offeredTwice: string[];
  /** `sent` rows whose address the sink did not receive exactly once. */
  sentNotReceivedOnce: number;
  /** Received addresses whose row is neither `sent` nor `unknown` (or that no row names). */
  receivedNotSentOrUnknown: number;
  unknown: number;
  /** `unknown` rows whose address was never even offered to the server: never attempted. */
  unknownNeverOffered: number;
  /** `unknown` rows whose message the server received in full (outcome lost by the kill). */
  unknownReceived: number;
};

/** The outbox of one campaign beside what the sink was offered and received. */
export async function reconcile(
  db: Db,
  keys: KeyRing,
  sink: Sink,
  campaignId: string,
): Promise<Reconciliation> {
  const result = (await db.execute(sql`
    select o.state, o.contact_id, c.identity, c.org_id
    from outbox o left join contacts c on c.id = o.contact_id
    where o.campaign_id = ${campaignId}`)) as unknown as {
    rows: {
      state: string;
      contact_id: string | null;
      identity: Uint8Array | null;
      org_id: string | null;
    }[];
  };
  const count = (list: string[]) => {
    const n = new Map<string, number>();
    for (const a of list) n.set(a.toLowerCase(), (n.get(a.toLowerCase()) ?? 0) + 1);
    return n;
  };
  const received = count(sink.received.flatMap((m) => m.to));
  const offered = count(sink.offered);
  const orgKeys = new Map<string, Awaited<ReturnType<KeyRing['forOrg']>>>();
  const stateOf = new Map<string, string>();
  const states: Record<string, number> = {};
  let sentNotReceivedOnce = 0;
  let unknown = 0;
  let unknownNeverOffered = 0;
  let unknownReceived = 0;
  for (const row of result.rows) {
    states[row.state] = (states[row.state] ?? 0) + 1;
    if (!row.contact_id || !row.identity || !row.org_id) continue;
    if (!orgKeys.has(row.org_id)) orgKeys.set(row.org_id, await keys.forOrg(db, row.org_id));
    const email = openIdentity(
      orgKeys.get(row.org_id)!,
      row.org_id,
      row.contact_id,
      Buffer.from(row.identity),
    ).email!.toLowerCase();
    stateOf.set(email, row.state);
    if (row.state === 'sent' && received.get(email) !== 1) sentNotReceivedOnce++;
    if (row.state === 'unknown') {
      unknown++;
      if (!offered.has(email)) unknownNeverOffered++;
      if (received.has(email)) unknownReceived++;
    }
  }
  let receivedNotSentOrUnknown = 0;
  for (const email of received.keys()) {
    const state = stateOf.get(email);
    if (state !== 'sent' && state !== 'unknown') receivedNotSentOrUnknown++;
  }
  const twice = (n: Map<string, number>) => [...n].filter(([, c]) => c > 1).map(([a]) => a);
  return {
    total: result.rows.length,
    states,
    receivedTwice: twice(received),
    offeredTwice: twice(offered),
    sentNotReceivedOnce,
    receivedNotSentOrUnknown,
    unknown,
    unknownNeverOffered,
    unknownReceived,
  };
}

/**
 * One organisation, `people` supporters imported through the domain (p0@kill.example, ...), a
 * segment of all of them and a campaign planned and moved to `sending`: its id.
 */
export async function sendingCampaign(s: Services, people: number, csv: string): Promise<string> {
  const org = await makeOrg(s, { noticePurposes: 'informer', noticeRecipients: 'l’équipe' });
  const source = await makeSource(s, org.id, { type: 'supporter_signup' });
  const rows = [['Nom', 'Prénom', 'Email']];
  for (let i = 0; i < people; i++) rows.push([`Nom${i}`, `Prénom${i}`, `p${i}@kill.example`]);
  await importContacts(s.db, {
    keys: s.keys,
    sourceId: source.id,
    file: writeCsv(csv, rows),
    actor: 'test',
    clock: s.clock,
  });
  const segment = await saveSegment(s.db, {
    orgId: org.id,
    input: { name: 'Tous', where: { and: [] } },
    actor: 'test',
  });
  return makeSendingCampaign(
    s,
    { orgId: org.id, segmentId: segment.id },
    { fromEmail: 'contact@kill.example', subject: 'Bonjour {{firstName}}' },
    { recipients: people },
  );
}

/** What a kill test's runs left, read by the tests of `killTests`. */
export type KillOutcome = {
  kills: Kill[];
  /** The run after the kills: its exit and its stderr. */
  finalExit: number | string | null;
  finalStderr: string;
  /** The campaign's state once that run has ended. */
  finalState: string;
  r: Reconciliation;
  sink: Sink;
  /** The channel's capacity (`smtpCapacity`). */
  capacity: number;
};

/** The figures a kill test prints, to read a run (and its seed) back. */
export function killSummary(o: KillOutcome) {
  return {
    state: o.finalState,
    states: o.r.states,
    unknown: o.r.unknown,
    unknownNeverOffered: o.r.unknownNeverOffered,
    unknownReceived: o.r.unknownReceived,
    receivedTwice: o.r.receivedTwice.length,
    offered: o.sink.offered.length,
    received: o.sink.received.length,
    killedAfter: o.kills.map((k) => k.receivedThisRun),
    firstReceiptMs: o.kills.map((k) => k.firstReceiptMs),
  };
}

/**
 * The kill test's promises, one test each, on what its runs left (`outcome`, read once its
 * `beforeAll` has run), the same on PostgreSQL and on the embedded database: `people` recipients,
 * `kills` SIGKILLs, send groups of `group` messages, `parallelGroups` of them in flight at once.
 */
export function killTests(
  outcome: () => KillOutcome,
  limits: { people: number; kills: number; group: number; parallelGroups: number },
): void {
  const { people, kills, group, parallelGroups } = limits;

  it('is killed mid-send every time: the sink still receiving, the campaign not finished', () => {
    const o = outcome();
    expect(o.kills).toHaveLength(kills);
    for (const k of o.kills) {
      expect(k.endedBy).toBe('SIGKILL');
      expect(k.receivedThisRun).toBeGreaterThan(0);
      // The sink had just received a message from it: the kill landed in the middle of sending
      // (a generous bound: a loaded 2-core CI machine may take a while between two receipts).
      expect(k.sinceLastReceipt).toBeLessThan(5_000);
      expect(k.stateAfter).toBe('sending');
      expect(k.leftAfter).toBeGreaterThan(0);
    }
  });

  it('finishes on the run after the kills, exiting 0', () => {
    const o = outcome();
    expect(o.finalExit, o.finalStderr).toBe(0);
  });

  it('leaves every recipient in one terminal state', () => {
    const { r } = outcome();
    expect(r.total).toBe(people);
    expect(r.states.queued ?? 0).toBe(0);
    expect(r.states.sending ?? 0).toBe(0);
    // Nothing here fails or objects: each recipient is sent, or given up as unknown.
    expect((r.states.sent ?? 0) + r.unknown).toBe(people);
  });

  it('leaves nobody never attempted: an unknown recipient was offered to the server', () => {
    const { r, capacity } = outcome();
    // A message may be handed over (the hand-over recorded: a row of outbox_handovers, a line of
    // the embedded hand-over file) and the process killed before its connection offered RCPT TO:
    // at most one per connection, `capacity` per kill.
    expect(r.unknownNeverOffered).toBeLessThanOrEqual(kills * capacity);
  });

  it('does not give up as unknown more than was in flight at the kills', () => {
    const { r, capacity } = outcome();
    // What a kill can leave `unknown` is what was handed over (its hand-over recorded) with no
    // outcome committed. The engine hands the channel at most `capacity` messages unanswered at
    // once (one per pool connection), so at most `capacity` per kill can be unknown and not
    // received by the server: handed over, its SMTP exchange cut short.
    expect(r.unknown - r.unknownReceived).toBeLessThanOrEqual(kills * capacity);
    // The others reached the server in full, but their group's transaction, which records the
    // outcomes, had not committed: at most the groups in flight, `parallelGroups` of `group`.
    // Every claimed row that was not handed over went back to the queue and was sent later.
    expect(r.unknown).toBeLessThanOrEqual(kills * parallelGroups * group);
  });

  it('does not send anyone two copies, nor attempt a handed-over message again', () => {
    const { r } = outcome();
    expect(r.receivedTwice).toEqual([]);
    expect(r.offeredTwice).toEqual([]);
  });

  it('reconciles with the SMTP sink', () => {
    const { r, sink } = outcome();
    // Every `sent` recipient arrived exactly once; everything that arrived is `sent` or `unknown`.
    expect(r.sentNotReceivedOnce).toBe(0);
    expect(r.receivedNotSentOrUnknown).toBe(0);
    expect(new Set(sink.received.flatMap((m) => m.to)).size).toBe(
      (r.states.sent ?? 0) + r.unknownReceived,
    );
  });

  it('ends done_with_unknown when some outcomes are unknown, else done', () => {
    const { r, finalState } = outcome();
    expect(finalState).toBe(r.unknown > 0 ? 'done_with_unknown' : 'done');
  });
}
