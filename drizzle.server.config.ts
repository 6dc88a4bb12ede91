import { defineConfig } from 'drizzle-kit';

// The sync server's schema (PostgreSQL, src-server). `npm run db:generate:server`
// writes its SQL migrations; committed, run at server start, never edited by hand.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src-server/db/schema.ts',
  out: './resources/server-migrations',
});
