import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { OCR_MODEL_SOURCES, stripLegacyComponents } from './shared/ocr/traineddata';

const rendererRoot = fileURLToPath(new URL('./renderer', import.meta.url));
const { version } = JSON.parse(
  readFileSync(new URL('./package.json', import.meta.url), 'utf8'),
) as {
  version: string;
};

/**
 * The OCR worker's static files, served by the app itself under `/ocr/` (nothing is fetched from
 * a CDN): tesseract.js's worker script, its LSTM wasm cores, the language data (see
 * `OCR_MODEL_SOURCES`) and pdf.js's character maps, standard fonts and wasm decoders. Emitted into
 * the build; served from node_modules by the dev server.
 */
function ocrAssets(): Plugin {
  const require = createRequire(import.meta.url);
  const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
  const assets = new Map<string, () => Uint8Array>();
  const add = (url: string, path: string) => assets.set(url, () => readFileSync(path));
  const addFolder = (url: string, path: string) => {
    for (const name of readdirSync(path)) {
      add(`${url}/${name}`, join(path, name));
    }
  };
  add('ocr/tesseract/worker.min.js', join(packageDir('tesseract.js'), 'dist', 'worker.min.js'));
  for (const core of ['lstm', 'simd-lstm', 'relaxedsimd-lstm']) {
    const file = `tesseract-core-${core}.wasm.js`;
    add(`ocr/tesseract/core/${file}`, join(packageDir('tesseract.js-core'), file));
  }
  for (const [code, source] of Object.entries(OCR_MODEL_SOURCES)) {
    const path = join(
      packageDir(`@tesseract.js-data/${source.package}`),
      source.folder,
      `${source.package}.traineddata.gz`,
    );
    assets.set(`ocr/lang/${code}.traineddata.gz`, () =>
      source.stripLegacy
        ? gzipSync(stripLegacyComponents(gunzipSync(readFileSync(path))), { level: 9 })
        : readFileSync(path),
    );
  }
  for (const folder of ['cmaps', 'standard_fonts', 'wasm']) {
    addFolder(`ocr/pdfjs/${folder}`, join(packageDir('pdfjs-dist'), folder));
  }
  const cache = new Map<string, Uint8Array>();
  const load = (url: string) => {
    const read = assets.get(url);
    if (read === undefined) {
      return undefined;
    }
    let bytes = cache.get(url);
    if (bytes === undefined) {
      bytes = read();
      cache.set(url, bytes);
    }
    return bytes;
  };
  return {
    name: 'review-desk-ocr-assets',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const url = (request.url ?? '').split('?')[0]?.replace(/^\//, '') ?? '';
        const bytes = load(url);
        if (bytes === undefined) {
          next();
          return;
        }
        response.setHeader(
          'Content-Type',
          url.endsWith('.js') ? 'text/javascript' : 'application/octet-stream',
        );
        response.end(bytes);
      });
    },
    generateBundle() {
      for (const url of assets.keys()) {
        this.emitFile({ type: 'asset', fileName: url, source: load(url) ?? new Uint8Array() });
      }
    },
  };
}

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
    ocrAssets(),
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
        // The OCR engine and models (~20 MB) are not part of the app shell: they are cached on
        // first use instead, so OCR keeps working offline after a reload once it has run.
        globIgnores: ['ocr/**'],
        runtimeCaching: [
          {
            urlPattern: ({ url }) => url.pathname.startsWith('/ocr/'),
            handler: 'CacheFirst',
            options: { cacheName: 'review-desk-ocr', expiration: { maxEntries: 500 } },
          },
        ],
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
