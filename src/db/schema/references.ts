// Foreign-key columns that most tables share. Everything belongs to one organisation and goes
// with it; rows about a contact go with the contact.
import { uuid } from 'drizzle-orm/pg-core';
import { contacts } from './contacts.ts';
import { organisations } from './organisations.ts';

export const orgIdColumn = () =>
  uuid('org_id')
    .notNull()
    .references(() => organisations.id, { onDelete: 'cascade' });

export const contactIdColumn = () =>
  uuid('contact_id')
    .notNull()
    .references(() => contacts.id, { onDelete: 'cascade' });
