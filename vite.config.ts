import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const rendererRoot = fileURLToPath(new URL('./renderer', import.meta.url));

/**
 * The workstation (React renderer). The same build runs in the Electron shell (served from
 * `app://`) and in web mode (served by the review server), so asset URLs are absolute from `/`.
 * The Electron main and preload bundles are built by `scripts/build.ts` with the same Vite.
 */
export default defineConfig({
  root: rendererRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Mantine and React together are ~400 kB before gzip; the default 500 kB warning would
    // only become noise once the PDF viewer and OCR workers arrive as their own chunks.
    chunkSizeWarningLimit: 1500,
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
});
