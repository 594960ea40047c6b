import { defineConfig } from 'vitest/config';

// Every HTTP test runs on the embedded PGlite and, when TEST_DATABASE_URL is set, again on real PostGIS.
const postgis = process.env.TEST_DATABASE_URL
  ? [{ extends: true as const, test: { name: 'postgis', include: ['test/**/*.test.ts'], env: { HAENAU_TEST_BACKEND: 'postgis' } } }]
  : [];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    globalSetup: ['test/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'pglite', include: ['server/**/*.test.ts', 'test/**/*.test.ts', 'fixtures/**/*.test.ts'], env: { HAENAU_TEST_BACKEND: 'pglite' } },
      },
      ...postgis,
    ],
  },
});
