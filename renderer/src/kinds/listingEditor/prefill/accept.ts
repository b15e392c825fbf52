import { isRecord } from '#shared/domain/listing/document';
import type { FieldPath } from '#shared/domain/validationIssue';
import { applyProposal, type PrefillProposal, type PrefillValue } from '#shared/ocr/index';

/*
 * Accepting a proposal writes through the editor's own `update(path, value)` (useDraft: in
 * memory at once, autosaved on the device, pushed to the server), so a pre-filled value is saved
 * like a typed one. `applyProposal` (shared/ocr/prefill.ts) computes the document with the value
 * and its provenance; the top-level members it changed are written, the provenance last, so a
 * value never lands without its provenance.
 */

export interface AcceptOptions {
  readonly enteredBy: string;
  /** ISO 8601 with offset. */
  readonly at: string;
  /** The assistant's correction (the provenance is then marked edited). */
  readonly value?: PrefillValue;
}

/** Writes the proposal's value (or the corrected one) and its provenance; returns the field's pointer. */
export function writeProposal(
  doc: unknown,
  proposal: PrefillProposal,
  options: AcceptOptions,
  update: (path: FieldPath, value: unknown) => void,
): string {
  const before: Record<string, unknown> = isRecord(doc) ? doc : {};
  const { document: after, path } = applyProposal(before, proposal, {
    enteredBy: options.enteredBy,
    at: options.at,
    ...(options.value === undefined ? {} : { value: options.value }),
  });
  for (const key of Object.keys(after)) {
    if (key !== 'provenance' && after[key] !== before[key]) {
      update([key], after[key]);
    }
  }
  update(['provenance'], after['provenance']);
  return path;
}
