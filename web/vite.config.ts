import path from 'node:path';
import { defineConfig } from 'vite';

// The citizen map (index.html, at /), the publisher portal (publish/index.html, at /publish/) and the
// consultation page (consult/index.html, at /consult/{id} and, chrome-less, /embed/{id}): built to web/dist.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    sourcemap: true,
    rollupOptions: { input: { map: path.join(import.meta.dirname, 'index.html'), publish: path.join(import.meta.dirname, 'publish/index.html'), consult: path.join(import.meta.dirname, 'consult/index.html') } },
  },
  css: { preprocessorOptions: { scss: { quietDeps: true, silenceDeprecations: ['import'] } } },
});
