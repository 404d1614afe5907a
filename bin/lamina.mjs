#!/usr/bin/env node
// The CLI is bundled with the app by `npm run build` (electron-vite) into out/main/cli.js.
import { existsSync } from 'node:fs';
const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('lamina: the CLI is not built yet; run `npm run build` in the Lamina checkout first\n');
  process.exit(1);
}
await import(cli.href);
