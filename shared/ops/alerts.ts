/**
 * The two alert rules of project-submission-workspace.zh.md §9, as pure decisions over counts
 * the server reads (server/src/ops/alerts.ts evaluates them on a schedule):
 *
 *  - `submission_spike` (单日提交量激增, "maybe a batch import: plan reviewers"): today's
 *    submissions (Shanghai day so far) reach `spikeFactor` times the mean of the
 *    `spikeBaselineDays` days before, and at least `spikeMinimum` (a quiet queue going from 1 to 3
 *    is no spike).
 *  - `rejection_rate` (退回率 > 50%, "check the templates or train the institution"): of the
 *    final listing decisions of the last `rejectionWindowDays` days, strictly more than
 *    `rejectionRateLimit` are rejections, over at least `rejectionMinimumDecisions` decisions.
 *
 * The seed names the rules, not their numbers; these defaults are ours and are settings.
 */

export const ALERT_RULES = ['submission_spike', 'rejection_rate'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export interface AlertSettings {
  readonly spikeFactor: number;
  readonly spikeBaselineDays: number;
  readonly spikeMinimum: number;
  readonly rejectionWindowDays: number;
  readonly rejectionRateLimit: number;
  readonly rejectionMinimumDecisions: number;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  spikeFactor: 3,
  spikeBaselineDays: 14,
  spikeMinimum: 20,
  rejectionWindowDays: 7,
  rejectionRateLimit: 0.5,
  rejectionMinimumDecisions: 10,
};

export interface AlertVerdict {
  readonly raised: boolean;
  readonly value: number;
  /** The value at which the alert is raised (the rejection rate must exceed it). */
  readonly threshold: number;
}

/** `baseline`: submissions per day of the days before today, oldest first (missing days 0). */
export function submissionSpike(
  today: number,
  baseline: readonly number[],
  settings: AlertSettings = DEFAULT_ALERT_SETTINGS,
): AlertVerdict {
  const mean = baseline.length === 0 ? 0 : baseline.reduce((a, b) => a + b, 0) / baseline.length;
  const threshold = Math.max(settings.spikeMinimum, settings.spikeFactor * mean);
  return { raised: today >= threshold, value: today, threshold };
}

export function rejectionRate(
  rejected: number,
  decided: number,
  settings: AlertSettings = DEFAULT_ALERT_SETTINGS,
): AlertVerdict {
  const value = decided === 0 ? 0 : rejected / decided;
  return {
    raised: decided >= settings.rejectionMinimumDecisions && value > settings.rejectionRateLimit,
    value,
    threshold: settings.rejectionRateLimit,
  };
}

/** An alert as the ops console lists it. */
export interface OpsAlert {
  readonly id: string;
  readonly rule: AlertRule;
  /** Shanghai day (`YYYY-MM-DD`). */
  readonly day: string;
  readonly raisedAt: string;
  readonly value: number;
  readonly threshold: number;
  readonly details: Readonly<Record<string, unknown>>;
  /** Who acknowledged it and when; null while nobody has (figures cached before: absent). */
  readonly acknowledged?: AlertAcknowledgement | null;
}

export interface AlertAcknowledgement {
  readonly at: string;
  readonly byId: string;
  readonly byName: string;
}

/** The alerts nobody has acknowledged yet: what the status bar badge counts. */
export function openAlerts<Alert extends OpsAlert>(alerts: readonly Alert[]): Alert[] {
  return alerts.filter((alert) => !isAcknowledged(alert));
}

export function isAcknowledged(
  alert: OpsAlert,
): alert is OpsAlert & { readonly acknowledged: AlertAcknowledgement } {
  return alert.acknowledged !== undefined && alert.acknowledged !== null;
}
