import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const rendererRoot = fileURLToPath(new URL('./renderer', import.meta.url));
const { version } = JSON.parse(
  readFileSync(new URL('./package.json', import.meta.url), 'utf8'),
) as {
  version: string;
};

/**
 * The workstation (React renderer). The same build runs in the Electron shell (served from
 * `app://`) and in web mode (served by the review server), so asset URLs are absolute from `/`.
 * The Electron main and preload bundles are built by `scripts/build.ts` with the same Vite.
 */
export default defineConfig({
  root: rendererRoot,
  base: '/',
  define: { 'import.meta.env.VITE_APP_VERSION': JSON.stringify(version) },
  plugins: [
    react(),
    // Web mode's service worker: precaches the app shell so that reloading with no network
    // still opens the workstation (its data is in IndexedDB). It never caches API answers, and
    // it is registered only in web mode (renderer/src/pwa/registerServiceWorker.ts).
    VitePWA({
      injectRegister: false,
      registerType: 'autoUpdate',
      manifest: {
        name: 'ReviewDesk 审核工作台',
        short_name: 'ReviewDesk',
        lang: 'zh-CN',
        start_url: '/',
        display: 'standalone',
        theme_color: '#3b5bdb',
        background_color: '#ffffff',
        icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml' }],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,woff2,webmanifest}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/(api|sync|auth|docs|health)(\/|$)/],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
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
