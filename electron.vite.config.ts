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

// One build produces everything that ships: the Electron main process, the CLI
// (plain Node, same engine), the sandboxed preload (CommonJS: sandboxed preloads
// cannot be ES modules) and the renderer that both Electron and `lamina serve` load.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
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
