import type { TFunction } from 'i18next';
import { REVIEW_REASON_LABELS } from '#shared/domain/review/reasons';
import type { Locale } from '#shared/i18n/localized';
import { gradeHomeworkV2, isMutationName, MUTATION_ARGS } from '#shared/sync/mutations';
import { mutationLabel } from '../labels';

/**
 * A recorded mutation in words, in the user's language: "Reject — reasons: Missing material;
 * /basic/name: the name is missing". Used for "Mine" on conflict cards and for the comment that
 * carries a decision that did not apply.
 */
export function describeMutation(
  name: string,
  args: unknown,
  t: TFunction,
  locale: Locale,
): string {
  const label = mutationLabel(name, t);
  if (!isMutationName(name)) {
    return label;
  }
  const parts: string[] = [];
  switch (name) {
    case 'approve': {
      const parsed = MUTATION_ARGS.approve.safeParse(args);
      for (const comment of parsed.success ? (parsed.data.comments ?? []) : []) {
        parts.push(t('describe.comment', { path: comment.path, text: comment.text }));
      }
      break;
    }
    case 'reject': {
      const parsed = MUTATION_ARGS.reject.safeParse(args);
      if (parsed.success) {
        parts.push(
          t('describe.reasons', {
            list: parsed.data.reasons
              .map((code) => REVIEW_REASON_LABELS[code][locale])
              .join(locale === 'zh-CN' ? '、' : ', '),
          }),
        );
        for (const comment of parsed.data.comments) {
          parts.push(t('describe.comment', { path: comment.path, text: comment.text }));
        }
      }
      break;
    }
    case 'gradeHomework': {
      const parsed = MUTATION_ARGS.gradeHomework.safeParse(args);
      if (parsed.success) {
        parts.push(parsed.data.outcome === 'pass' ? t('describe.pass') : t('describe.reject'));
        // Version 2 scores criteria; the score is their sum.
        const rubricGrade = gradeHomeworkV2.safeParse(args);
        const score = rubricGrade.success
          ? Object.values(rubricGrade.data.criterionScores).reduce((sum, points) => sum + points, 0)
          : parsed.data.score;
        if (score !== undefined) {
          parts.push(t('describe.score', { score }));
        }
        if (parsed.data.feedback !== '') {
          parts.push(t('describe.feedback', { text: parsed.data.feedback }));
        }
      }
      break;
    }
    case 'mentorReview': {
      const parsed = MUTATION_ARGS.mentorReview.safeParse(args);
      if (parsed.success) {
        parts.push(parsed.data.excellent ? t('describe.excellent') : t('describe.notExcellent'));
        if (parsed.data.comment !== '') {
          parts.push(t('describe.note', { text: parsed.data.comment }));
        }
      }
      break;
    }
    case 'comment': {
      const parsed = MUTATION_ARGS.comment.safeParse(args);
      if (parsed.success) {
        parts.push(t('describe.comment', { path: parsed.data.path, text: parsed.data.text }));
      }
      break;
    }
    case 'saveRubric': {
      const parsed = MUTATION_ARGS.saveRubric.safeParse(args);
      if (parsed.success) {
        parts.push(parsed.data.chapter);
      }
      break;
    }
    case 'saveBankComment': {
      const parsed = MUTATION_ARGS.saveBankComment.safeParse(args);
      if (parsed.success) {
        parts.push(t('describe.note', { text: parsed.data.text }));
      }
      break;
    }
    case 'noteStudentContact': {
      const parsed = MUTATION_ARGS.noteStudentContact.safeParse(args);
      if (parsed.success) {
        parts.push(parsed.data.studentId);
      }
      break;
    }
    case 'saveDraft': {
      // The draft's name as the edit had it: which listing this was.
      const parsed = MUTATION_ARGS.saveDraft.safeParse(args);
      const basic = parsed.success ? parsed.data.document['basic'] : undefined;
      const draftName =
        typeof basic === 'object' && basic !== null
          ? (basic as Record<string, unknown>)['name']
          : undefined;
      if (typeof draftName === 'string' && draftName !== '') {
        parts.push(draftName.slice(0, 80));
      }
      break;
    }
    case 'replyEscalation': {
      const parsed = MUTATION_ARGS.replyEscalation.safeParse(args);
      if (parsed.success) {
        parts.push(parsed.data.text.slice(0, 80));
      }
      break;
    }
    case 'claim':
    case 'renewLease':
    case 'release':
    case 'assign':
    case 'takedown':
    case 'forceTakedown':
    case 'logTime':
    case 'closeEscalation':
      break;
  }
  if (parts.length === 0) {
    return label;
  }
  return locale === 'zh-CN' ? `${label}（${parts.join('；')}）` : `${label} — ${parts.join('; ')}`;
}
