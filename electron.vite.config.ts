import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

// The dev server injects CSS as <style> elements, which the page's strict CSP
// refuses; only there are inline styles allowed. Built pages link their CSS.
const devInlineStyles: Plugin = {
  name: 'lamina-dev-inline-styles',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
};

// commander requires child_process when it loads, for executable subcommands, which
// Lamina does not have: about 5 ms of every `lamina` start (bench/startup.ts). It is
// required when spawn is first called instead; a commander that no longer has this
// line fails the build rather than quietly losing the change.
const lazyCommanderChildProcess: Plugin = {
  name: 'lamina-lazy-commander-child-process',
  transform(code, id) {
    if (!id.replaceAll('\\', '/').endsWith('/node_modules/commander/lib/command.js')) return null;
    const eager = "const childProcess = require('node:child_process');";
    if (!code.includes(eager)) this.error(`commander's command.js no longer has ${eager}: update lazyCommanderChildProcess in electron.vite.config.ts`);
    return code.replace(eager, "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };");
  },
};

// One build produces everything that ships: the Electron main process, the CLI
// (plain Node, same engine), the sandboxed preload (CommonJS: sandboxed preloads
// cannot be ES modules) and the renderer that both Electron and `lamina serve` load.
export default defineConfig({
  main: {
    plugins: [lazyCommanderChildProcess],
    build: {
      outDir: 'out/main',
      // Bundled, not imported from node_modules: Node 20 takes about 25 ms of CPU to
      // import CommonJS commander from an ES module (resolution, the CommonJS export
      // scan), a sixth of the `lamina --help` that bench/startup.ts times; zod is 95
      // files and 854 kB as published, about 180 kB once bundled and tree-shaken, and
      // every command that reads an image or the store loads it.
      externalizeDeps: { exclude: ['commander', 'zod'] },
      rollupOptions: {
        input: {
          index: resolve('src-main/app/index.ts'),
          cli: resolve('src-main/cli/main.ts'),
        },
        // The CLI loads each command's module when it runs (code-split chunks); they sit
        // beside the entries so import.meta.dirname means out/main in every one.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('src-main/app/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve('src-renderer/index.html') } },
    },
    plugins: [react(), devInlineStyles],
  },
});
