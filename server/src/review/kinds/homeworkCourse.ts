import type { Role } from '#shared/domain/roles';
import { validateRubric } from '#shared/domain/rubric';
import { MUTATION_ARGS } from '#shared/sync/mutations';
import { issueDetails, issuesMessage, lockRubric, rubricOfChapter } from '../../homework/rubrics';
import { lockStudent } from '../../homework/students';
import { displayName } from '../items';
import { defineMutation, type MutationDefinition } from '../kind';
import { applied, conflict, rejected, type WorkScope } from '../scope';
import { hasNul, NUL_OUTCOME } from './textRules';

/**
 * The course's own data, changed through RSP/1 like the reviews but tied to no review item:
 * chapter rubrics (`saveRubric`, ops managers), the comment bank (`saveBankComment`, TAs and ops
 * managers) and the roster's contact notes (`noteStudentContact`, TAs and ops managers). Each
 * checks the role first, so a refused role always gets FORBIDDEN, whatever the arguments.
 */

const RUBRIC_EDITORS: readonly Role[] = ['ops_manager'];
const BANK_EDITORS: readonly Role[] = ['ta', 'ops_manager'];
const CONTACT_NOTERS: readonly Role[] = ['ta', 'ops_manager'];

const forbiddenFor = (scope: WorkScope) => rejected('FORBIDDEN', { role: scope.principal.role });

interface BankRow {
  readonly id: string;
  readonly created_by: string | null;
  readonly deleted_at: string | null;
}

export const homeworkCourseMutations: Readonly<Record<string, MutationDefinition>> = {
  /**
   * Creates (no `baseRevision`) or replaces a chapter's rubric. The points must add up to the
   * maximum score and so on (`validateRubric`: VALIDATION with `details.issues`); a chapter has
   * one rubric (another id for the same chapter is VALIDATION `chapter_has_rubric`); an edit of
   * a revision someone else replaced meanwhile is RUBRIC_CHANGED. Each save is revision + 1.
   */
  saveRubric: defineMutation({
    v: 1,
    args: MUTATION_ARGS.saveRubric,
    async run(scope, args) {
      if (!RUBRIC_EDITORS.includes(scope.principal.role)) {
        return forbiddenFor(scope);
      }
      if (
        hasNul(
          args.chapter,
          args.title,
          ...args.criteria.flatMap((criterion) => [criterion.title, criterion.description]),
        )
      ) {
        return NUL_OUTCOME;
      }
      const issues = validateRubric({
        chapter: args.chapter,
        maxScore: args.maxScore,
        criteria: args.criteria,
      });
      if (issues.length > 0) {
        return {
          status: 'rejected',
          code: 'VALIDATION',
          details: { reason: 'rubric', issues: issueDetails(issues) },
          message: issuesMessage(issues),
        };
      }
      const existing = await lockRubric(scope.tx, args.rubricId);
      const ofChapter = await rubricOfChapter(scope.tx, args.chapter);
      if (ofChapter !== null && ofChapter.id !== args.rubricId) {
        return {
          status: 'rejected',
          code: 'VALIDATION',
          details: { reason: 'chapter_has_rubric', chapter: args.chapter, rubricId: ofChapter.id },
          message: {
            'zh-CN': `「${args.chapter}」已有评分标准，请修改现有的那份。`,
            en: `The chapter “${args.chapter}” already has a rubric; edit that one.`,
          },
        };
      }
      const criteria = JSON.stringify(
        args.criteria.map((criterion) => ({
          id: criterion.id,
          title: criterion.title,
          description: criterion.description,
          points: criterion.points,
        })),
      );
      let revision: number;
      if (existing === null) {
        if (args.baseRevision !== undefined) {
          // An edit of a rubric that was never created (its creation was refused).
          return rejected('NOT_FOUND', { rubricId: args.rubricId });
        }
        revision = 1;
        await scope.tx.query(
          `INSERT INTO rubrics (id, chapter, title, max_score, criteria, revision, updated_by,
                                updated_at, row_version)
           VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8)`,
          [
            args.rubricId,
            args.chapter,
            args.title,
            args.maxScore,
            criteria,
            scope.principal.id,
            scope.nowIso,
            await scope.version(),
          ],
        );
      } else {
        if (args.baseRevision !== existing.revision) {
          return conflict('RUBRIC_CHANGED', {
            reason: 'save',
            rubricId: existing.id,
            baseRevision: args.baseRevision ?? null,
            currentRevision: existing.revision,
            updatedBy: existing.updated_by,
            updatedByName:
              existing.updated_by === null
                ? null
                : await displayName(scope.tx, existing.updated_by),
            updatedAt: existing.updated_at,
          });
        }
        revision = existing.revision + 1;
        await scope.tx.query(
          `UPDATE rubrics
              SET chapter = $2, title = $3, max_score = $4, criteria = $5, revision = $6,
                  updated_by = $7, updated_at = $8, row_version = $9
            WHERE id = $1`,
          [
            existing.id,
            args.chapter,
            args.title,
            args.maxScore,
            criteria,
            revision,
            scope.principal.id,
            scope.nowIso,
            await scope.version(),
          ],
        );
      }
      await scope.audit({
        subjectType: 'rubric',
        subjectId: args.rubricId,
        action: 'save_rubric',
        details: {
          chapter: args.chapter,
          revision,
          maxScore: args.maxScore,
          criteria: args.criteria.length,
        },
      });
      return applied(undefined, { rubricId: args.rubricId, revision });
    },
  }),

  /**
   * Adds (new `commentId`) or edits an entry of a chapter's comment bank. Only its author or an
   * ops manager edits an entry; a deleted entry cannot be edited (NOT_FOUND).
   */
  saveBankComment: defineMutation({
    v: 1,
    args: MUTATION_ARGS.saveBankComment,
    async run(scope, { commentId, chapter, language, text }) {
      if (!BANK_EDITORS.includes(scope.principal.role)) {
        return forbiddenFor(scope);
      }
      if (hasNul(chapter, text)) {
        return NUL_OUTCOME;
      }
      const [existing] = await scope.tx.query<BankRow>(
        'SELECT id, created_by, deleted_at FROM comment_bank WHERE id = $1 FOR UPDATE',
        [commentId],
      );
      if (existing === undefined) {
        await scope.tx.query(
          `INSERT INTO comment_bank (id, chapter, language, text, use_count, created_by, created_at,
                                     updated_at, row_version)
           VALUES ($1, $2, $3, $4, 0, $5, $6, $6, $7)`,
          [
            commentId,
            chapter,
            language,
            text,
            scope.principal.id,
            scope.nowIso,
            await scope.version(),
          ],
        );
      } else {
        if (existing.deleted_at !== null) {
          return rejected('NOT_FOUND', { commentId, deleted: true });
        }
        if (existing.created_by !== scope.principal.id && scope.principal.role !== 'ops_manager') {
          return rejected('FORBIDDEN', {
            role: scope.principal.role,
            reason: 'not_author',
            authorId: existing.created_by,
          });
        }
        await scope.tx.query(
          `UPDATE comment_bank SET chapter = $2, language = $3, text = $4, updated_at = $5,
                                   row_version = $6
            WHERE id = $1`,
          [commentId, chapter, language, text, scope.nowIso, await scope.version()],
        );
      }
      await scope.audit({
        subjectType: 'comment_bank',
        subjectId: commentId,
        action: 'save_bank_comment',
        details: { chapter, language, created: existing === undefined },
      });
      return applied(undefined, { commentId, created: existing === undefined });
    },
  }),

  /** Records that someone contacted a student (the SOP's private chat); NOT_FOUND if unknown. */
  noteStudentContact: defineMutation({
    v: 1,
    args: MUTATION_ARGS.noteStudentContact,
    async run(scope, { studentId, note }) {
      if (!CONTACT_NOTERS.includes(scope.principal.role)) {
        return forbiddenFor(scope);
      }
      if (hasNul(studentId, note)) {
        return NUL_OUTCOME;
      }
      const student = await lockStudent(scope.tx, studentId);
      if (student === null) {
        return rejected('NOT_FOUND', { studentId });
      }
      const contactNote = note === '' ? null : note;
      await scope.tx.query(
        `UPDATE students SET contacted_at = $2, contacted_by = $3, contact_note = $4,
                             updated_at = $2, row_version = $5
          WHERE id = $1`,
        [student.id, scope.nowIso, scope.principal.id, contactNote, await scope.version()],
      );
      await scope.audit({
        subjectType: 'student',
        subjectId: student.id,
        action: 'contact_student',
        reason: contactNote,
        details: { studentId },
      });
      return applied(undefined, { studentId, contactedAt: scope.nowIso });
    },
  }),
};
