import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeOcrRuntime, type NodeOcrRuntime } from '../../cli/ocr/nodeRuntime';
import { validateListing } from '../../shared/domain/listing/validate';
import { createOcrPipeline } from '../../shared/ocr/pipeline';
import { applyProposal, prefillFromDossier, type PrefillProposal } from '../../shared/ocr/prefill';
import type { DossierGroundTruth } from '../../scripts/generateOcrDossiers';

/*
 * OCR pre-fill on the committed dossiers (scripts/generateOcrDossiers.ts) with real tesseract.js
 * through the Node runtime: the proposals must equal the ground truth for ≥ 80 % of the fields
 * the pre-fill targets, and none may come without its source.
 */

const dossierDir = fileURLToPath(new URL('../fixtures/ocr/dossiers', import.meta.url));
const truth = JSON.parse(
  readFileSync(join(dossierDir, 'dossiers.json'), 'utf8'),
) as DossierGroundTruth;

let scratch: string;
let node: NodeOcrRuntime;
const proposalsOf = new Map<string, PrefillProposal[]>();

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'review-desk-prefill-test-'));
  node = await createNodeOcrRuntime({ cacheDir: join(scratch, 'cache'), cache: false, env: {} });
  const pipeline = createOcrPipeline(node.runtime, { pageConcurrency: node.pool.size });
  for (const dossier of truth.dossiers) {
    const bytes = new Uint8Array(await readFile(join(dossierDir, dossier.file)));
    const result = await pipeline.process(bytes, { name: dossier.file });
    expect(result.pages).toHaveLength(dossier.pages);
    proposalsOf.set(
      dossier.file,
      prefillFromDossier(result.pages.map((page) => ({ ...page, fileName: dossier.file }))),
    );
  }
}, 600_000);

afterAll(async () => {
  await node.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('OCR pre-fill on the dossier fixtures (real tesseract.js)', () => {
  it('fills ≥ 80 % of the targeted fields exactly', () => {
    let right = 0;
    let total = 0;
    const misses: string[] = [];
    for (const dossier of truth.dossiers) {
      const proposals = proposalsOf.get(dossier.file) ?? [];
      const byPath = new Map(proposals.map((proposal) => [proposal.path, proposal.value]));
      for (const [path, expected] of Object.entries(dossier.expected)) {
        total += 1;
        const read = byPath.get(path);
        if (JSON.stringify(read) === JSON.stringify(expected)) {
          right += 1;
        } else {
          misses.push(
            `${dossier.file} ${path}: ${JSON.stringify(read)} ≠ ${JSON.stringify(expected)}`,
          );
        }
      }
    }
    const ratio = right / total;
    console.warn(
      `OCR pre-fill: ${right} / ${total} fields = ${(ratio * 100).toFixed(1)} %${misses.length > 0 ? `\n  ${misses.join('\n  ')}` : ''}`,
    );
    expect(total).toBe(truth.dossiers.length * 19);
    expect(ratio).toBeGreaterThanOrEqual(0.8);
  });

  it('gives every proposal its source: file, page, box on the page and confidence', () => {
    for (const dossier of truth.dossiers) {
      const proposals = proposalsOf.get(dossier.file) ?? [];
      expect(proposals.length).toBeGreaterThan(0);
      for (const { source } of proposals) {
        expect(source.fileName).toBe(dossier.file);
        expect(source.page).toBeGreaterThanOrEqual(1);
        expect(source.page).toBeLessThanOrEqual(dossier.pages);
        expect(source.bbox.width).toBeGreaterThan(0);
        expect(source.bbox.height).toBeGreaterThan(0);
        expect(source.confidence).toBeGreaterThan(0);
        expect(source.confidence).toBeLessThanOrEqual(1);
      }
      // The price table is the third page.
      expect(
        proposals.filter((p) => p.field === 'packagePrice').every((p) => p.source.page === 3),
      ).toBe(true);
    }
  });

  it('records provenance for every accepted value, and the validator accepts it', () => {
    for (const dossier of truth.dossiers) {
      let document: Record<string, unknown> = { schemaVersion: 1 };
      const paths: string[] = [];
      for (const proposal of proposalsOf.get(dossier.file) ?? []) {
        const applied = applyProposal(document, proposal, {
          enteredBy: 'assistant',
          at: '2026-12-07T10:00:00Z',
        });
        document = applied.document;
        paths.push(applied.path);
      }
      const provenance = document['provenance'] as Record<
        string,
        { fileName: string; page: number }
      >;
      expect(Object.keys(provenance).sort()).toEqual([...paths].sort());
      for (const entry of Object.values(provenance)) {
        expect(entry.fileName).toBe(dossier.file);
      }
      const issues = validateListing(document, { today: '2026-12-07' });
      expect(issues.filter((issue) => issue.path[0] === 'provenance')).toEqual([]);
    }
  });
});
