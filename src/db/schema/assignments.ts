// SEC-1: a volunteer works on the contacts assigned to them, for one task that decides which
// fields they see (phoning: name and phone; door-to-door: name and address).
import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { contacts } from './contacts.ts';
import { orgIdColumn } from './references.ts';
import { users } from './staff.ts';

export const assignments = pgTable(
  'assignments',
  {
    id: uuid('id').primaryKey(),
    orgId: orgIdColumn(),
    volunteerId: uuid('volunteer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    task: text('task').notNull(),
    label: text('label').notNull(),
    contactCount: integer('contact_count').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (t) => [
    index('assignments_org').on(t.orgId),
    index('assignments_volunteer').on(t.volunteerId),
    check('assignments_task', sql`${t.task} in ('phoning', 'door_to_door')`),
  ],
);

export const assignmentContacts = pgTable(
  'assignment_contacts',
  {
    assignmentId: uuid('assignment_id')
      .notNull()
      .references(() => assignments.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.assignmentId, t.contactId] })],
);
