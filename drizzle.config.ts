import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes SQL migrations from the schema. They are
// committed, shipped with the app, and never edited by hand.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src-main/core/db/schema/index.ts',
  out: './resources/migrations',
});
