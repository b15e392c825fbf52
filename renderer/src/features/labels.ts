import type { TFunction } from 'i18next';

/**
 * Labels of server-side names (review kinds, item states, mutations, outcomes). A name this
 * release does not know is shown as it is rather than hidden.
 */
const KINDS = ['listing_revision', 'homework', 'homework_mentor', 'refund', 'escalation'] as const;
const STATES = ['pending', 'in_review', 'decided', 'withdrawn', 'cancelled'] as const;
const MUTATIONS = [
  'approve',
  'reject',
  'gradeHomework',
  'mentorReview',
  'claim',
  'release',
  'comment',
  'renewLease',
  'assign',
  'takedown',
  'forceTakedown',
  'saveRubric',
  'saveBankComment',
  'noteStudentContact',
  'replyEscalation',
  'closeEscalation',
  'saveDraft',
] as const;
const OUTCOMES = [
  'approve',
  'reject',
  'pass',
  'excellent',
  'reviewed',
  'returned',
  'closed',
] as const;

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

export function kindLabel(kind: string, t: TFunction): string {
  return isOneOf(KINDS, kind) ? t(`kind.${kind}`) : kind;
}

export function stateLabel(state: string, t: TFunction): string {
  return isOneOf(STATES, state) ? t(`itemState.${state}`) : state;
}

export function mutationLabel(name: string, t: TFunction): string {
  return isOneOf(MUTATIONS, name) ? t(`mutation.${name}`) : name;
}

/** A decision's outcome; a TA's `reject` of homework reads "returned for revision". */
export function outcomeLabel(outcome: string, t: TFunction, kind?: string): string {
  if (kind === 'homework' && outcome === 'reject') {
    return t('outcome.returned');
  }
  return isOneOf(OUTCOMES, outcome) ? t(`outcome.${outcome}`) : outcome;
}
