import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests drive real parts (Nix, a registry, skopeo, umoci, Chromium): they are slow
// to start, so timeouts are generous and files run two at a time (two cores).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    maxWorkers: 2,
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    // No binary cache is reachable from test machines: without this, every fresh
    // Nix build spends seconds retrying cache.nixos.org. Tests that do not make a
    // data dir of their own share one under /tmp, never the user's.
    // The shared one is per checkout, so two checkouts testing at once do not meet.
    env: { NIX_CONFIG: 'substituters =', LAMINA_HOME: join(tmpdir(), `lamina-test-home-${createHash('sha256').update(import.meta.dirname).digest('hex').slice(0, 8)}`) },
  },
});
