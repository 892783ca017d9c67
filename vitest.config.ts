import { defineConfig } from 'vitest/config';

// Two projects: unit tests of pure logic (milliseconds, parallel), and integration tests that run
// the built tspod as an unprivileged user against real host tools (scripts/test.sh runs those
// one file at a time: they share the host's devices and users).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
          // clipanion's ES build imports a directory (lib/platform), which Node's ESM loader refuses;
          // inlined, Vite resolves it through the package.json there (completion reads the commands).
          server: { deps: { inline: ['clipanion'] } },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
