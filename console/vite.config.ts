// Builds the console into console/dist, served by the API process at /console/ (build-app.ts).
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/console/',
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
  build: {
    outDir: `${root}dist`,
    emptyOutDir: true,
    target: 'es2022',
    // One small bundle: the console is a handful of screens; uPlot is the only heavy part.
    chunkSizeWarningLimit: 200,
    reportCompressedSize: false,
  },
  server: {
    // `npx vite --config console/vite.config.ts` during development: API calls go to a local server.
    proxy: { '/api': 'http://127.0.0.1:8080', '/console/api': 'http://127.0.0.1:8080' },
  },
});
