// The foreign-key column that most tables share: everything belongs to one organisation and
// goes with it. (It imports organisations.ts only, so that it cannot form an import cycle.)
import { uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';

export const orgIdColumn = () =>
  uuid('org_id')
    .notNull()
    .references(() => organisations.id, { onDelete: 'cascade' });
