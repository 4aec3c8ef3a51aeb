// Signing out ends the session and records who did it in one transaction: there is never an
// ended session without its audit event, nor an audit event for a session still open.
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg } from '../../../test/factories.ts';
import { makeStaff, type Staff } from '../../../test/staff.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { auditEvents } from '../../db/schema/index.ts';
import { createSession, endSession, resolveSession } from './sessions.ts';

let s: TestServices;
let staff: Staff;
const now = new Date('2026-11-24T10:00:00Z');
const clock = () => now;

beforeAll(async () => {
  s = await openTestServices({ clock });
  staff = await makeStaff(s, (await makeOrg(s)).id, 'viewer');
});
afterAll(() => s.dispose());

const lastEvent = async () =>
  (await s.db.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1))[0];

describe('signing out', () => {
  it('ends the session and records session.sign_out by whoever signed out', async () => {
    const session = await createSession(s.db, {
      userId: staff.userId,
      secondFactorDone: true,
      clock,
    });
    await endSession(s.db, { sessionId: session.id, actor: `user:${staff.userId}`, clock });
    expect(await resolveSession(s.db, session.token, clock)).toBeUndefined();
    expect(await lastEvent()).toMatchObject({
      action: 'session.sign_out',
      actor: `user:${staff.userId}`,
      entityType: 'session',
      entityId: session.id,
    });
  });

  it('leaves the session open when its audit event cannot be written', async () => {
    const session = await createSession(s.db, {
      userId: staff.userId,
      secondFactorDone: true,
      clock,
    });
    const before = await lastEvent();
    // The first reading of the clock (the session's end) works; the audit's is broken.
    let readings = 0;
    const breaking = () => (++readings > 1 ? new Date(Number.NaN) : now);
    await expect(
      endSession(s.db, { sessionId: session.id, actor: `user:${staff.userId}`, clock: breaking }),
    ).rejects.toThrow();
    expect(await resolveSession(s.db, session.token, clock)).toMatchObject({ id: session.id });
    expect((await lastEvent())?.id).toBe(before?.id);
    const [row] = await s.db.select().from(auditEvents).where(eq(auditEvents.entityId, session.id));
    expect(row).toBeUndefined();
  });
});
