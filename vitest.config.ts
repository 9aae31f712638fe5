import { defineConfig } from 'vitest/config';

// Four projects, so a developer can run the fast ones alone (`npm run test:unit`); `npm test`
// runs all four. `simulation` holds the statistical validity runs of the gate (thousands of
// simulated gates per case): pure like unit tests, but minutes of CPU, not seconds.
const project = (name: string) => ({
  extends: true as const,
  test: { name, include: [`test/${name}/**/*.test.ts`] },
});

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [project('unit'), project('simulation'), project('integration'), project('e2e')],
  },
});
