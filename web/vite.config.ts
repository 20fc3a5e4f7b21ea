import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import postcssPresetMantine from 'postcss-preset-mantine';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = 'http://127.0.0.1:3000';

/**
 * The dashboard. `npx vite --config web/vite.config.ts` serves it with the API proxied to a
 * server on port 3000; `npx vite build --config web/vite.config.ts` writes `web/dist`, which the
 * server serves at `/` with an SPA fallback.
 */
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  css: {
    postcss: { plugins: [postcssPresetMantine()] },
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, ws: true },
      '/health': { target: apiTarget },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|use-sync-external-store)[\\/]/,
              priority: 3,
            },
            {
              name: 'mantine',
              test: /node_modules[\\/](@mantine|@floating-ui|@tabler)[\\/]/,
              priority: 2,
            },
            // The flow graph's library, only the flow editor loads it.
            {
              name: 'flow-graph',
              test: /node_modules[\\/](@xyflow|d3-[a-z-]+|zustand|classcat)[\\/]/,
              priority: 2,
            },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
});
