import { LISTING_STEPS, type ListingStep } from '../domain/listing/document';
import type { ValidationIssue } from '../domain/validationIssue';
import type { ReportRange } from './kpis';

/**
 * Two boards of the ops console besides the KPIs and charts (issue 12), computed by the server
 * (server/src/ops/board.ts) over the same range of Shanghai days and as of its end:
 *
 *  - **Submission funnel** (project-submission-workspace.zh.md §9, "填写完成率（每步停留人数 /
 *    退出率）"): of the listings created in the range, how many got through each of the form's
 *    seven steps (§3) — a step is complete when the validator finds no error in it — and how many
 *    were submitted. A listing counts as having *reached* step k when steps 1…k−1 are complete;
 *    the drop-off of a step is reached minus completed: the people who stayed at that step.
 *  - **Course board** (course-operations-sop.zh.md §7 "用户学习进度看板"): students enrolled by the
 *    as-of instant; active ones (a homework submission in the range); mean progress; and per
 *    chapter the share of students who submitted and whose homework passed. The SOP also names
 *    average learning time: nothing in ReviewDesk records study time (it lives in the course
 *    platform), so the board says it is not recorded rather than inventing it.
 */

export interface FunnelStep {
  readonly step: ListingStep;
  /** Listings whose earlier steps are all complete. */
  readonly reached: number;
  /** Listings with this step and every earlier one complete. */
  readonly completed: number;
}

export interface SubmissionFunnel {
  /** Listings created in the range. */
  readonly started: number;
  readonly steps: readonly FunnelStep[];
  /** Of those, submitted for review by the as-of instant. */
  readonly submitted: number;
}

export interface ChapterFigures {
  readonly chapter: string;
  /** Students with a submission for the chapter by the as-of instant. */
  readonly submitted: number;
  /** Students whose submission for the chapter passed the TA (or went further). */
  readonly passed: number;
}

export interface CourseBoard {
  /** Students enrolled by the as-of instant: the denominator of every rate below. */
  readonly students: number;
  /** Students with a homework submission in the range. */
  readonly activeStudents: number;
  /** Mean course progress of the enrolled students (0–100), null without students. */
  readonly averageProgressPercent: number | null;
  /** Chapters in natural order (chapter 2 before chapter 10). */
  readonly chapters: readonly ChapterFigures[];
}

export interface OpsBoardReport {
  readonly from: string;
  readonly to: string;
  readonly asOf: string;
  readonly funnel: SubmissionFunnel;
  readonly course: CourseBoard;
}

/** The form step a validation issue belongs to: its path's first segment (`provider` → basic). */
export function issueStep(issue: ValidationIssue): ListingStep {
  const head = issue.path[0];
  return LISTING_STEPS.find((step) => step === head) ?? 'basic';
}

/** The steps of one document without errors, from the validator's issues. */
export function completedSteps(issues: readonly ValidationIssue[]): ReadonlySet<ListingStep> {
  const failing = new Set(
    issues.filter((issue) => issue.severity === 'error').map((issue) => issueStep(issue)),
  );
  return new Set(LISTING_STEPS.filter((step) => !failing.has(step)));
}

/** The funnel over listings, each given as its completed steps and whether it was submitted. */
export function submissionFunnel(
  listings: readonly {
    readonly completed: ReadonlySet<ListingStep>;
    readonly submitted: boolean;
  }[],
): SubmissionFunnel {
  const steps = LISTING_STEPS.map((step, index) => {
    const earlier = LISTING_STEPS.slice(0, index);
    const reached = listings.filter((listing) =>
      earlier.every((previous) => listing.completed.has(previous)),
    ).length;
    const completed = listings.filter((listing) =>
      [...earlier, step].every((done) => listing.completed.has(done)),
    ).length;
    return { step, reached, completed };
  });
  return {
    started: listings.length,
    steps,
    submitted: listings.filter((listing) => listing.submitted).length,
  };
}

/** Range fields of a board report. */
export function boardRangeFields(range: ReportRange): Pick<OpsBoardReport, 'from' | 'to' | 'asOf'> {
  return { from: range.from, to: range.to, asOf: new Date(range.asOfMs).toISOString() };
}
