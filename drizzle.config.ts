import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the schema, one per intent:
//   npx drizzle-kit generate --name <what-it-does>
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './src/db/migrations',
});
