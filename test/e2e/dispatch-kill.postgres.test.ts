// Acceptance (send engine): the dispatcher is killed (SIGKILL) again and again during a 10,000
// message send. Afterwards every recipient has exactly one terminal state, nobody was left
// unattempted, and the SMTP sink saw at most one copy per recipient beyond what is recorded:
// a message whose outcome a kill made unknown is reported `unknown`, never sent again.
import { spawn, type ChildProcess } from 'node:child_process';
import { sql } from 'drizzle-orm';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../factories.ts';
import { tempDir, writeCsv } from '../files.ts';
import { repoRoot } from '../processes.ts';
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

const PEOPLE = 10_000;
const files = tempDir('isoloir-kill-');
let s: TestServices;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let campaignId: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  s = await openTestServices();
  sink = await startSmtpSink();
  const org = await makeOrg(s, { noticePurposes: 'informer', noticeRecipients: 'l’équipe' });
  const source = await makeSource(s, org.id, { type: 'supporter_signup' });
  const rows = [['Nom', 'Prénom', 'Email']];
  for (let i = 0; i < PEOPLE; i++) rows.push([`Nom${i}`, `Prénom${i}`, `p${i}@kill.example`]);
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
      fromEmail: 'contact@kill.example',
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
    PATH: process.env.PATH,
    DATABASE_URL: s.config.databaseUrl,
    ISOLOIR_MASTER_KEY: key(s.config.masterKey),
    ISOLOIR_AUDIT_KEY: key(s.config.auditKey!),
    ISOLOIR_SMTP_URL: sink.url,
    ISOLOIR_PUBLIC_URL: 'https://isoloir.kill.example',
    ISOLOIR_DISPATCH_LEASE_SECONDS: '2',
    ISOLOIR_LOG_LEVEL: 'silent',
  };
}, 180_000);
afterAll(async () => {
  await sink.close();
  await s.dispose();
  files.remove();
});

function dispatch(): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin/isoloir.js'), 'campaign', 'send', campaignId, '--wait', '--json'],
    {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

const waitFor = async (test: () => boolean, ms: number) => {
  const until = Date.now() + ms;
  while (!test() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
};

describe('the send engine under SIGKILL', () => {
  it('leaves every recipient in one terminal state, with no silent second copy', async () => {
    for (let kill = 0; kill < 4; kill++) {
      const before = sink.received.length;
      const run = dispatch();
      // Kill it mid-flight: once it has delivered a few hundred more messages.
      await waitFor(
        () => sink.received.length >= before + 300 + Math.floor(Math.random() * 700),
        60_000,
      );
      run.child.kill('SIGKILL');
      await run.exited;
    }
    const last = dispatch();
    expect(await last.exited, last.stderr()).toBe(0);

    const status = await campaignStatus(s.db, { campaignId });
    expect(status.state).toBe('done');
    expect(status.counts.queued).toBe(0);
    expect(status.counts.sending).toBe(0);
    expect(status.counts.sent + status.counts.unknown).toBe(PEOPLE);

    const copies = new Map<string, number>();
    for (const m of sink.received) for (const to of m.to) copies.set(to, (copies.get(to) ?? 0) + 1);
    const states = (await s.db.execute(
      sql`select state from outbox where campaign_id = ${campaignId}`,
    )) as unknown as { rows: { state: string }[] };
    expect(states.rows).toHaveLength(PEOPLE);
    // Nobody got two copies (a kill never leads to a resend), and every sent one arrived.
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
    expect(copies.size).toBeGreaterThanOrEqual(status.counts.sent);
    expect(copies.size).toBeLessThanOrEqual(PEOPLE);
    // What the kills interrupted is reported, not hidden.
    expect(status.counts.unknown).toBeGreaterThan(0);
  }, 600_000);
});
