// The embedded database's hand-over log, a file in the data directory: a process killed while
// sending leaves rows `sending` and its fsync'ed hand-overs; the next process resolves them at
// start by the rule (handed over -> unknown, else back to the queue), without waiting for leases.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/files.ts';
import { fakeChannel, makeAudience, makeSendingCampaign } from '../../test/sending.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { outbox } from '../db/schema/index.ts';
import { campaignStatus } from '../domain/outreach/campaigns.ts';
import { createDispatcher } from './create-dispatcher.ts';
import { FileHandoverLog, HANDOVER_FILE } from './handover-log.ts';
import { claimBatch } from './outbox.ts';

const dir = tempDir('isoloir-handovers-');
const masterKey = randomBytes(32);
const now = new Date('2026-11-24T10:00:00Z');
const PEOPLE = 6;
let s: TestServices | undefined;
afterAll(async () => {
  await s?.dispose();
  dir.remove();
});

describe('the embedded send engine', () => {
  it('resolves, at start, the rows a killed process left sending: handed over to unknown, the rest sent', async () => {
    s = await openTestServices({ dataDir: dir.dir, masterKey, clock: () => now });
    const campaignId = await makeSendingCampaign(s, await makeAudience(s, PEOPLE, 'exemple'));
    // The killed process: claimed everything (a lease far from over), handed two messages over.
    const claimed = await claimBatch(s.db, {
      campaignId,
      size: 200,
      workerId: 'dispatcher-killed',
      now,
      leaseUntil: new Date(now.getTime() + 3_600_000),
    });
    const killed = new FileHandoverLog(dir.dir);
    await killed.record(
      claimed.slice(0, 2).map((r) => ({ id: r.id, attempt: r.attempts })),
      now,
      'dispatcher-killed',
    );
    await killed.close();
    const file = path.join(dir.dir, HANDOVER_FILE);
    expect(fs.readFileSync(file, 'utf8')).toBe(
      claimed
        .slice(0, 2)
        .map((r) => `${r.id} 1\n`)
        .join(''),
    );
    await s.dispose();

    // The next start, at the same time: the lease has not run out, the rows are resolved anyway.
    s = await openTestServices({ dataDir: dir.dir, masterKey, clock: () => now });
    const channel = fakeChannel();
    const sent = channel.sent;
    const d = createDispatcher(s, { channel });
    await d.runOnce();
    await d.runOnce();
    await d.close();
    const rows = await s.db
      .select({ state: outbox.state })
      .from(outbox)
      .where(eq(outbox.campaignId, campaignId))
      .orderBy(outbox.id);
    expect(rows.map((r) => r.state)).toEqual([
      'unknown',
      'unknown',
      ...Array(PEOPLE - 2).fill('sent'),
    ]);
    expect(sent).toHaveLength(PEOPLE - 2);
    expect((await campaignStatus(s.db, { campaignId })).state).toBe('done_with_unknown');
    // Nothing `sending` any more: the file is emptied.
    expect(fs.readFileSync(file, 'utf8')).toBe('');
    // Two openings of a database on disk, migrations included: slow on a loaded machine.
  }, 180_000);

  it('counts only whole lines of the file: a line torn by a crash was never handed over', async () => {
    const other = tempDir('isoloir-handovers-torn-');
    try {
      fs.writeFileSync(path.join(other.dir, HANDOVER_FILE), '7 1\n8 2\n9');
      const log = new FileHandoverLog(other.dir);
      const found = await log.handedOver(undefined as never, [
        { id: 7, attempt: 1 },
        { id: 8, attempt: 1 },
        { id: 9, attempt: 1 },
      ]);
      expect([...found]).toEqual([7]);
      await log.record([{ id: 10, attempt: 1 }], now, 'w');
      await log.close();
      expect(fs.readFileSync(path.join(other.dir, HANDOVER_FILE), 'utf8')).toBe('7 1\n8 2\n10 1\n');
    } finally {
      other.remove();
    }
  });
});
