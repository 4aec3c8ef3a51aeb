// Issue 14 on the embedded database: `isoloir campaign send ID --wait` on a data directory is
// SIGKILLed 4 times at random moments during a 2,000-recipient send, then run to completion. The
// process that next opens the data directory resolves the dead one's `sending` rows at start
// from the append-only hand-over file: `unknown` if handed over, else back to the queue. Same
// promises as on PostgreSQL (dispatch-kill.postgres.test.ts). Replay a failure with the seed.
import { afterAll, beforeAll, describe } from 'vitest';
import { tempDir } from '../files.ts';
import {
  killRepeatedly,
  killSummary,
  killTests,
  mulberry32,
  reconcile,
  sendingCampaign,
  sendWait,
  smtpCapacity,
  type KillOutcome,
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
let outcome: KillOutcome;

beforeAll(async () => {
  sink = await startSmtpSink();
  const capacity = await smtpCapacity(sink.url);
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
  const kills = await killRepeatedly({
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
  const finalExit = await last.exited;
  const services = await createServices(config);
  try {
    outcome = {
      kills,
      finalExit,
      finalStderr: last.stderr(),
      finalState: (await campaignStatus(services.db, { campaignId })).state,
      r: await reconcile(services.db, services.keys, sink, campaignId),
      sink,
      capacity,
    };
  } finally {
    await services.close();
  }
  console.info(
    `dispatch-kill (embedded) seed=${SEED} capacity=${capacity} ` +
      `${((Date.now() - started) / 1000).toFixed(0)} s: ${JSON.stringify(killSummary(outcome))}`,
  );
}, 300_000);
afterAll(async () => {
  await sink?.close();
  files.remove();
});

describe('the send engine under 4 SIGKILLs (embedded database, 2,000 recipients)', () => {
  killTests(() => outcome, {
    people: PEOPLE,
    kills: KILLS,
    group: GROUP,
    parallelGroups: PARALLEL_GROUPS,
  });
});
