/**
 * `npm run build`: the renderer (Vite), the Electron main and preload bundles, and the OCR
 * language data staged for electron-builder's `extraResources`.
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type InlineConfig } from 'vite';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** Language data the OCR pipeline ships with: the LSTM-only `best_int` models (small, accurate). */
const OCR_LANGUAGES = ['chi_sim', 'eng'] as const;
export const OCR_LANGUAGE_DIR = join(projectRoot, 'resources', 'ocr', 'lang');

function electronBundle(name: 'main' | 'preload', entry: string, outDir: string): InlineConfig {
  return {
    configFile: false,
    root: projectRoot,
    logLevel: 'warn',
    build: {
      ssr: join(projectRoot, entry),
      outDir: join(outDir, 'electron', name),
      emptyOutDir: true,
      target: 'node20',
      sourcemap: true,
      minify: false,
      rolldownOptions: {
        external: ['electron'],
        // Sandboxed preloads cannot load ES modules or `require` our files: one CommonJS file.
        output: { format: 'cjs', entryFileNames: 'index.cjs', codeSplitting: false },
      },
    },
    ssr: { noExternal: true },
  };
}

export async function stageOcrLanguageData(): Promise<void> {
  await rm(OCR_LANGUAGE_DIR, { recursive: true, force: true });
  await mkdir(OCR_LANGUAGE_DIR, { recursive: true });
  for (const language of OCR_LANGUAGES) {
    const source = join(
      projectRoot,
      'node_modules',
      '@tesseract.js-data',
      language,
      '4.0.0_best_int',
      `${language}.traineddata.gz`,
    );
    await copyFile(source, join(OCR_LANGUAGE_DIR, `${language}.traineddata.gz`));
  }
}

export const DEFAULT_OUT_DIR = join(projectRoot, 'dist');

/** Builds everything into `outDir` (`dist/` by default; tests build into a temporary folder). */
export async function buildAll(outDir = DEFAULT_OUT_DIR): Promise<void> {
  // Always a production build, also when called from a test run (NODE_ENV=test would make Vite
  // build a development bundle, without the service worker registration of web mode).
  const nodeEnv = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  try {
    await buildBundles(outDir);
  } finally {
    if (nodeEnv === undefined) {
      delete process.env['NODE_ENV'];
    } else {
      process.env['NODE_ENV'] = nodeEnv;
    }
  }
  await stageOcrLanguageData();
}

async function buildBundles(outDir: string): Promise<void> {
  await build({
    configFile: join(projectRoot, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: join(outDir, 'renderer') },
  });
  await build(electronBundle('main', 'electron/main/index.ts', outDir));
  await build(electronBundle('preload', 'electron/preload/index.ts', outDir));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  await buildAll();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`Built renderer, Electron main and preload into ${DEFAULT_OUT_DIR} in ${seconds} s`);
  console.log(`Staged OCR language data in ${dirname(OCR_LANGUAGE_DIR)}`);
}
