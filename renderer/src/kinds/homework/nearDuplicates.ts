import { useLocalStorage } from '@mantine/hooks';
import { useMemo } from 'react';
import type { HomeworkSubmissionRecord } from '#shared/sync/rows';
import {
  DEFAULT_NEAR_DUPLICATE_OPTIONS,
  findNearDuplicates,
  validateNearDuplicateOptions,
  type NearDuplicateOptions,
  type NearDuplicatePair,
} from '#shared/text/nearDuplicate';

/**
 * Near-duplicate findings on the TA's device: the chapter's cached submissions compared with the
 * shared detector (MinHash over character shingles, exact verification). The threshold is a
 * setting of this device; a finding is advisory and goes with the grade.
 */

/** What is compared: the reflection and the article text, as submitted. */
export function duplicateText(submission: HomeworkSubmissionRecord): string {
  return `${submission.reflection}\n${submission.articleText}`;
}

const THRESHOLD_KEY = 'review-desk.near-duplicate-threshold';

/** The similarity threshold setting, in percent (35 by default), and its setter. */
export function useDuplicateThreshold(): readonly [number, (percent: number) => void] {
  const [percent, setPercent] = useLocalStorage<number>({
    key: THRESHOLD_KEY,
    defaultValue: Math.round(DEFAULT_NEAR_DUPLICATE_OPTIONS.threshold * 100),
    getInitialValueInEffect: false,
  });
  return [percent, setPercent];
}

/** The detector's options for a threshold in percent; the defaults when it is unusable. */
export function duplicateOptions(percent: number): NearDuplicateOptions {
  const options = { ...DEFAULT_NEAR_DUPLICATE_OPTIONS, threshold: percent / 100 };
  return validateNearDuplicateOptions(options) === null ? options : DEFAULT_NEAR_DUPLICATE_OPTIONS;
}

/** Every flagged pair among these submissions (one chapter's), by submission id. */
export function useDuplicatePairs(
  submissions: readonly HomeworkSubmissionRecord[],
  percent: number,
): ReadonlyMap<string, readonly NearDuplicatePair[]> {
  return useMemo(() => {
    const pairs = findNearDuplicates(
      submissions.map((submission) => ({ id: submission.id, text: duplicateText(submission) })),
      duplicateOptions(percent),
    );
    const bySubmission = new Map<string, NearDuplicatePair[]>();
    for (const pair of pairs) {
      for (const id of [pair.a, pair.b]) {
        const list = bySubmission.get(id) ?? [];
        list.push(pair);
        bySubmission.set(id, list);
      }
    }
    return bySubmission;
  }, [submissions, percent]);
}
