import { defineConfig } from 'vitest/config';

// Three projects, so a developer can run the fast ones alone (`npm test -- --project unit`);
// `npm test` runs all three.
const project = (name: string) => ({
  extends: true as const,
  test: { name, include: [`test/${name}/**/*.test.ts`] },
});

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [project('unit'), project('integration'), project('e2e')],
  },
});
