// Issue 14 on the embedded database: `isoloir campaign send ID --wait` on a data directory is
// SIGKILLed 4 times at random moments during a 2,000-recipient send, then run to completion. The
// process that next opens the data directory resolves the dead one's `sending` rows at start
// from the append-only hand-over file: `unknown` if handed over, else back to the queue. Same
// promises as on PostgreSQL (dispatch-kill.postgres.test.ts). Replay a failure with the seed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../files.ts';
import {
  killRepeatedly,
  mulberry32,
  reconcile,
  sendingCampaign,
  sendWait,
  smtpCapacity,
  type Kill,
  type Reconciliation,
} from '../kill-harness.ts';
import { runBin } from '../processes.ts';
import { startSmtpSink } from '../smtp-sink.ts';
import { openTestServices, type TestServices } from '../test-db.ts';
import { campaignStatus } from '../../src/domain/outreach/campaigns.ts';
import { createServices } from '../../src/services.ts';

const PEOPLE = 2_000;
const KILLS = 4;
const SEED = 0x1_4e4b; // fixed: the kill moments replay exactly
/** Messages a send group holds, and groups in flight at once (the dispatcher's defaults). */
const GROUP = 25;
const PARALLEL_GROUPS = 4;

const files = tempDir('isoloir-kill-embedded-');
const dataDir = files.file('data');
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let campaignId: string;
let env: NodeJS.ProcessEnv;
let capacity: number;
let kills: Kill[];
let finalExit: number | string | null;
let finalStderr: string;
let r: Reconciliation;
let finalState: string;

beforeAll(async () => {
  sink = await startSmtpSink();
  capacity = await smtpCapacity(sink.url);
  // Built in this process, then closed: one process at a time may open the data directory.
  const s: TestServices = await openTestServices({ dataDir });
  const config = s.config;
  try {
    campaignId = await sendingCampaign(s, PEOPLE, files.file('people.csv'));
  } finally {
    await s.dispose();
  }
  const key = (k: TestServices['config']['masterKey']) =>
    k.kind === 'env' ? k.key.toString('hex') : '';
  env = {
    PATH: process.env.PATH,
    ISOLOIR_DATA_DIR: dataDir,
    ISOLOIR_MASTER_KEY: key(config.masterKey),
    ISOLOIR_AUDIT_KEY: key(config.auditKey!),
    ISOLOIR_SMTP_URL: sink.url,
    ISOLOIR_PUBLIC_URL: 'https://isoloir.kill.example',
    ISOLOIR_DISPATCH_LEASE_SECONDS: '2',
    ISOLOIR_LOG_LEVEL: 'silent',
  };

  const started = Date.now();
  kills = await killRepeatedly({
    campaignId,
    // Through the CLI: the data directory is the killed process's until it is gone.
    status: async () => {
      const out = await runBin(['campaign', 'status', campaignId, '--json'], env);
      if (out.code !== 0) throw new Error(`campaign status exited ${out.code}: ${out.stderr}`);
      const { state, counts } = JSON.parse(out.stdout) as {
        state: string;
        counts: { queued: number; sending: number };
      };
      return { state, left: counts.queued + counts.sending };
    },
    env,
    sink,
    kills: KILLS,
    spread: 0.8 * PEOPLE,
    random: mulberry32(SEED),
  });
  const last = sendWait(campaignId, env);
  finalExit = await last.exited;
  finalStderr = last.stderr();
  const services = await createServices(config);
  try {
    finalState = (await campaignStatus(services.db, { campaignId })).state;
    r = await reconcile(services.db, services.keys, sink, campaignId);
  } finally {
    await services.close();
  }
  console.info(
    `dispatch-kill (embedded) seed=${SEED} capacity=${capacity} ` +
      `${((Date.now() - started) / 1000).toFixed(0)} s: ${JSON.stringify({
        state: finalState,
        states: r.states,
        unknown: r.unknown,
        unknownNeverOffered: r.unknownNeverOffered,
        unknownReceived: r.unknownReceived,
        receivedTwice: r.receivedTwice.length,
        offered: sink.offered.length,
        received: sink.received.length,
        killedAfter: kills.map((k) => k.receivedThisRun),
        firstReceiptMs: kills.map((k) => k.firstReceiptMs),
      })}`,
  );
}, 300_000);
afterAll(async () => {
  await sink?.close();
  files.remove();
});

describe('the send engine under 4 SIGKILLs (embedded database, 2,000 recipients)', () => {
  it('is killed mid-send every time: the sink still receiving, the campaign not finished', () => {
    expect(kills).toHaveLength(KILLS);
    for (const k of kills) {
      expect(k.endedBy).toBe('SIGKILL');
      expect(k.receivedThisRun).toBeGreaterThan(0);
      expect(k.sinceLastReceipt).toBeLessThan(1_000);
      expect(k.stateAfter).toBe('sending');
      expect(k.leftAfter).toBeGreaterThan(0);
    }
  });

  it('finishes on the run after the kills, exiting 0', () => {
    expect(finalExit, finalStderr).toBe(0);
  });

  it('leaves every recipient in one terminal state', () => {
    expect(r.total).toBe(PEOPLE);
    expect(r.states.queued ?? 0).toBe(0);
    expect(r.states.sending ?? 0).toBe(0);
    expect((r.states.sent ?? 0) + r.unknown).toBe(PEOPLE);
  });

  it('leaves nobody never attempted: an unknown recipient was offered to the server', () => {
    // Handed over (recorded in the file) but killed before RCPT TO: at most one per connection.
    expect(r.unknownNeverOffered).toBeLessThanOrEqual(KILLS * capacity);
  });

  it('does not give up as unknown more than was in flight at the kills', () => {
    // As on PostgreSQL: unanswered hand-overs are at most `capacity` at once; the rest of what is
    // unknown reached the server in full, in groups whose outcomes had not committed.
    expect(r.unknown - r.unknownReceived).toBeLessThanOrEqual(KILLS * capacity);
    expect(r.unknown).toBeLessThanOrEqual(KILLS * PARALLEL_GROUPS * GROUP);
  });

  it('does not send anyone two copies, nor attempt a handed-over message again', () => {
    expect(r.receivedTwice).toEqual([]);
    expect(r.offeredTwice).toEqual([]);
  });

  it('reconciles with the SMTP sink', () => {
    expect(r.sentNotReceivedOnce).toBe(0);
    expect(r.receivedNotSentOrUnknown).toBe(0);
    expect(new Set(sink.received.flatMap((m) => m.to)).size).toBe(
      (r.states.sent ?? 0) + r.unknownReceived,
    );
  });

  it('ends done_with_unknown when some outcomes are unknown, else done', () => {
    expect(finalState).toBe(r.unknown > 0 ? 'done_with_unknown' : 'done');
  });
});
