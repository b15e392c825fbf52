import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mentorReviewDay, taDeadline } from '#shared/domain/homework';
import { validateRubric } from '#shared/domain/rubric';
import { DAY_MS, shanghaiDate } from '#shared/domain/time';
import {
  DEFAULT_NEAR_DUPLICATE_OPTIONS,
  findNearDuplicates,
  jaccard,
  shingleSet,
} from '#shared/text/nearDuplicate';
import { DEMO_STUDENTS, mulberry32 } from '../../../server/src/demo/content';
import {
  COURSE_CHAPTERS,
  followUpStudents,
  HomeworkCountError,
  lightlyEdited,
  planCommentBank,
  planHomework,
  planRoster,
  planRubrics,
  type HomeworkPlanning,
} from '../../../server/src/demo/homeworkContent';
import { DEFAULT_DEMO_HOMEWORK, DEFAULT_DEMO_SEED } from '../../../server/src/demo/seed';
import { TEST_EPOCH } from '../harness';

/** The seed's way of planning the course (seed.ts), at `now`. */
function plan(now: number, count = DEFAULT_DEMO_HOMEWORK) {
  const roster = planRoster(now, mulberry32(DEFAULT_DEMO_SEED + 3));
  const rubrics = planRubrics(randomUUID);
  const homework = planHomework({
    count,
    now,
    rng: mulberry32(DEFAULT_DEMO_SEED + 1),
    newId: randomUUID,
    taId: 'ta',
    mentorId: 'mentor',
    roster,
    rubrics,
    digestOf: (work) => `digest of ${work.articleText.length}`,
  });
  return { roster, rubrics, homework };
}

const textOf = (submission: HomeworkPlanning['submissions'][number]) =>
  `${submission.reflection}\n${submission.articleText}`;

/** Days after TEST_EPOCH at which the demo is planned: other weekdays and hours of the day. */
const OFFSETS_DAYS = [0, 0.3, 1, 2.7, 4, 5.5];

describe('the demo course', () => {
  const { roster, rubrics, homework } = plan(TEST_EPOCH);

  it('has two cohorts of students, starting with the refund-requesting students', () => {
    expect(roster).toHaveLength(70);
    expect(new Set(roster.map((student) => student.studentId)).size).toBe(70);
    expect(roster.slice(0, DEMO_STUDENTS.length).map((student) => student.studentId)).toEqual(
      DEMO_STUDENTS.map((student) => student.id),
    );
    expect(new Set(roster.map((student) => student.cohort)).size).toBe(2);
    expect(roster.some((student) => student.language === 'en')).toBe(true);
    for (const student of roster) {
      expect(student.joinedAt).toBeLessThan(TEST_EPOCH);
      expect(student.purchasedAt).toBeLessThanOrEqual(student.joinedAt);
    }
  });

  it('lists stalled students on the progress board, and only them', () => {
    const followUp = followUpStudents(roster, homework.progress, TEST_EPOCH);
    expect(followUp.length).toBeGreaterThanOrEqual(4);
    for (const student of followUp) {
      expect(student.stalled).toBe(true);
      expect(homework.submissions.some((s) => s.studentId === student.studentId)).toBe(false);
    }
    for (const [studentId, percent] of homework.progress) {
      const value = Number(percent);
      expect(value, studentId).toBeGreaterThanOrEqual(0);
      expect(value, studentId).toBeLessThanOrEqual(100);
    }
  });

  it('has a valid rubric for every chapter and a comment bank in both languages', () => {
    expect(rubrics.map((rubric) => rubric.chapter)).toEqual(
      COURSE_CHAPTERS.map((chapter) => String(chapter.chapter)),
    );
    for (const rubric of rubrics) {
      expect(validateRubric(rubric)).toEqual([]);
    }
    const bank = planCommentBank(mulberry32(1), randomUUID);
    for (const chapter of rubrics.map((rubric) => rubric.chapter)) {
      const entries = bank.filter((entry) => entry.chapter === chapter);
      expect(entries.filter((entry) => entry.language === 'zh-CN')).toHaveLength(5);
      expect(entries.filter((entry) => entry.language === 'en')).toHaveLength(2);
    }
  });

  it('has the asked number of submissions in every reachable state, with consistent times', () => {
    expect(homework.submissions).toHaveLength(DEFAULT_DEMO_HOMEWORK);
    expect(new Set(homework.submissions.map((s) => s.state))).toEqual(
      new Set(['submitted', 'ta_passed', 'ta_rejected', 'archived']),
    );
    // Overdue work is there for the TA's list to put first.
    expect(
      homework.submissions.some((s) => s.state === 'submitted' && s.taDueAt < TEST_EPOCH),
    ).toBe(true);
    for (const submission of homework.submissions) {
      expect(submission.taDueAt).toBe(taDeadline(submission.submittedAt));
      expect(submission.updatedAt).toBeLessThanOrEqual(TEST_EPOCH);
      expect(roster.some((student) => student.studentId === submission.studentId)).toBe(true);
      const rubric = rubrics.find((candidate) => candidate.chapter === submission.chapter);
      const passed = submission.state === 'ta_passed' || submission.state === 'archived';
      if (submission.state === 'submitted') {
        expect(submission.criterionScores).toBeNull();
      } else {
        const scores = submission.criterionScores ?? {};
        for (const criterion of rubric?.criteria ?? []) {
          expect(scores[criterion.id]).toBeGreaterThanOrEqual(0);
          expect(scores[criterion.id]).toBeLessThanOrEqual(criterion.points);
        }
        const total = Object.values(scores).reduce((sum, points) => sum + points, 0);
        expect(submission.score).toBe(passed ? total : null);
      }
      expect(submission.taFeedback !== null).toBe(submission.state === 'ta_rejected');
      expect(submission.items.map((item) => item.kind)).toEqual(
        passed ? ['homework', 'homework_mentor'] : ['homework'],
      );
      if (submission.mentorReviewedAt !== null && submission.taDecidedAt !== null) {
        expect(shanghaiDate(submission.mentorReviewedAt)).toBe(
          mentorReviewDay(submission.taDecidedAt),
        );
      }
      if (submission.excellent === true) {
        expect(submission.mentorComment).not.toBeNull();
      }
    }
  });

  it('archives reviewed work to the student record with its score', () => {
    const archived = homework.submissions.filter((s) => s.state === 'archived');
    expect(homework.records.map((record) => record.submissionId).sort()).toEqual(
      archived.map((s) => s.id).sort(),
    );
    for (const record of homework.records) {
      const submission = archived.find((s) => s.id === record.submissionId);
      expect(record.score).toBe(submission?.score);
      expect(record.excellent).toBe(submission?.excellent);
      expect(record.chapter).toBe(submission?.chapter);
    }
  });

  it('resubmits rejected work as a new submission of the same chapter', () => {
    const again = homework.submissions.filter((s) => s.reflection.startsWith('（已根据'));
    expect(again.length).toBeGreaterThan(0);
    for (const submission of again) {
      const rejected = homework.submissions.find(
        (s) =>
          s.studentId === submission.studentId &&
          s.chapter === submission.chapter &&
          s.state === 'ta_rejected',
      );
      // The rejected original may have fallen out of the newest `count`.
      if (rejected !== undefined) {
        expect(rejected.taDecidedAt).toBeLessThan(submission.submittedAt);
      }
    }
  });

  it('is the same course for the same seed (apart from ids)', () => {
    const again = plan(TEST_EPOCH).homework;
    const content = (planning: HomeworkPlanning) =>
      planning.submissions.map((s) => [s.studentId, s.chapter, s.state, s.articleText, s.score]);
    expect(content(again)).toEqual(content(homework));
  });

  it('refuses more homework than the course has, saying how much there is', () => {
    expect(() => plan(TEST_EPOCH, 10_000)).toThrow(HomeworkCountError);
    expect(() => plan(TEST_EPOCH, 10_000)).toThrow(/at most \d+ homework submissions/);
    expect(plan(TEST_EPOCH, 3).homework.submissions).toHaveLength(3);
  });

  it.each(OFFSETS_DAYS)(
    'plants near-duplicates the detector finds, and no other pair (+%s days)',
    (offsetDays) => {
      const now = TEST_EPOCH + offsetDays * DAY_MS;
      const { homework: planned } = plan(now);
      expect(planned.nearDuplicates.map((pair) => pair.chapter)).toEqual(['1', '3', '6', '8']);
      const expected = planned.nearDuplicates.map((pair) => [pair.copyId, pair.sourceId].sort());
      const found: string[][] = [];
      for (const chapter of COURSE_CHAPTERS.map((c) => String(c.chapter))) {
        const documents = planned.submissions
          .filter((s) => s.chapter === chapter)
          .map((s) => ({ id: s.id, text: textOf(s) }));
        for (const pair of findNearDuplicates(documents, DEFAULT_NEAR_DUPLICATE_OPTIONS)) {
          found.push([pair.a, pair.b].sort());
        }
      }
      expect(found.sort()).toEqual(expected.sort());
      for (const pair of planned.nearDuplicates) {
        const copy = planned.submissions.find((s) => s.id === pair.copyId);
        const source = planned.submissions.find((s) => s.id === pair.sourceId);
        expect(copy?.state).toBe('submitted');
        expect(copy?.copyOf).toBe(pair.sourceId);
        expect(copy?.studentId).not.toBe(source?.studentId);
        expect(copy?.articleText).not.toBe(source?.articleText);
      }
    },
  );

  it('keeps unrelated work of a chapter well below the flag threshold', () => {
    let highest = 0;
    for (const chapter of COURSE_CHAPTERS.map((c) => String(c.chapter))) {
      const work = homework.submissions.filter((s) => s.chapter === chapter && s.copyOf === null);
      const sets = work.map((s) =>
        shingleSet(textOf(s), DEFAULT_NEAR_DUPLICATE_OPTIONS.shingleSize),
      );
      for (let i = 0; i < sets.length; i += 1) {
        for (let j = i + 1; j < sets.length; j += 1) {
          highest = Math.max(
            highest,
            jaccard(sets[i] ?? new Uint32Array(), sets[j] ?? new Uint32Array()),
          );
        }
      }
    }
    expect(highest).toBeLessThan(DEFAULT_NEAR_DUPLICATE_OPTIONS.threshold);
  });

  it('edits about the asked share of letters when it makes a copy', () => {
    const text = '这一章最大的收获是学会了先想读者，再动笔。'.repeat(20);
    const copy = lightlyEdited(mulberry32(9), text, 0.07);
    const changed = Array.from(text).filter(
      (character, index) => Array.from(copy)[index] !== character,
    );
    expect(copy.length).toBe(text.length);
    expect(changed.length / text.length).toBeGreaterThan(0.02);
    expect(changed.length / text.length).toBeLessThan(0.12);
  });
});
