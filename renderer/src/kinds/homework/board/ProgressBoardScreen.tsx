import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { countCharacters } from '#shared/domain/listing/richText';
import { REFUND_REASON_LABELS } from '#shared/domain/refund';
import { MUTATION_ARGS } from '#shared/sync/mutations';
import type { UserRecord } from '#shared/sync/rows';
import { formatServerTime, useNow } from '../../../app/format';
import { usePending, useUsers } from '../../../features/queue/useQueue';
import { useLocale } from '../../../i18n/useLocale';
import type { Workspace } from '../../../workspace/workspace';
import type { ScreenProps } from '../../registry';
import { useStudents } from '../data';
import { boardRows, MAX_CONTACT_NOTE, pendingContact, type BoardRow } from './progressBoard';

/**
 * `#/homework/board`: students who joined more than 7 days ago (server time) and are below 10 %
 * progress, earliest joined first: the SOP's private-chat intervention list. Each row shows the
 * progress, the days since joining, the cohort, the last contact and the 7-day refund flag the
 * domain core computes; "contacted" records `noteStudentContact` (with an optional short note)
 * and the row says so until the next sync brings the contact back from the server.
 */
export function ProgressBoardScreen({ workspace }: ScreenProps) {
  const { t } = useTranslation();
  useNow(60_000);
  const serverNow = workspace.serverNow();
  const students = useStudents(workspace.db);
  const users = useUsers(workspace.db);
  const pending = usePending(workspace.db);
  // Server time moves by the minute here; recompute the rows when the day count may change.
  const minute = Math.floor(serverNow / 60_000);
  const rows = useMemo(
    () => (students === undefined ? undefined : boardRows(students.values(), minute * 60_000)),
    [students, minute],
  );
  const role = workspace.session.user.role;
  const canContact = role === 'ta' || role === 'ops_manager';

  return (
    <Stack gap="md" data-testid="progress-board">
      <Stack gap={2}>
        <Title order={2}>{t('homeworkBoard.board.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('homeworkBoard.board.intro')}
        </Text>
      </Stack>
      {rows === undefined ? null : rows.length === 0 ? (
        <Text c="dimmed" data-testid="progress-empty">
          {t('homeworkBoard.board.empty')}
        </Text>
      ) : (
        <>
          <Text size="sm">{t('homeworkBoard.board.count', { count: rows.length })}</Text>
          {rows.map((row) => (
            <StudentRow
              key={row.student.id}
              row={row}
              workspace={workspace}
              users={users}
              pendingNote={pendingContact(pending, row.student.studentId)}
              canContact={canContact}
              serverNow={serverNow}
            />
          ))}
        </>
      )}
    </Stack>
  );
}

function StudentRow({
  row,
  workspace,
  users,
  pendingNote,
  canContact,
  serverNow,
}: {
  readonly row: BoardRow;
  readonly workspace: Workspace;
  readonly users: ReadonlyMap<string, UserRecord>;
  readonly pendingNote: { readonly note: string } | null;
  readonly canContact: boolean;
  readonly serverNow: number;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { student, days, refund } = row;
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const tooLong = countCharacters(note.trim()) > MAX_CONTACT_NOTE;

  const contacted = async () => {
    const args = MUTATION_ARGS.noteStudentContact.safeParse({
      studentId: student.studentId,
      note,
    });
    if (tooLong || !args.success) {
      // The field already says why (the only argument the user types is the note).
      return;
    }
    setBusy(true);
    try {
      setError(null);
      await workspace.record('noteStudentContact', args.data);
      setNote('');
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : String(problem));
    } finally {
      setBusy(false);
    }
  };

  const contactedBy =
    student.contactedBy === null
      ? t('homeworkBoard.unknownUser')
      : (users.get(student.contactedBy)?.displayName ?? student.contactedBy);

  return (
    <Paper
      withBorder
      p="sm"
      data-testid="progress-student"
      data-student-id={student.studentId}
      data-refund-eligible={String(refund.eligible)}
    >
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start">
          <Group gap="xs">
            <Text fw={600}>{student.name}</Text>
            <Text size="sm" c="dimmed">
              {student.studentId}
            </Text>
            <Badge variant="outline" color="gray">
              {t('homeworkBoard.board.cohort', { cohort: student.cohort })}
            </Badge>
          </Group>
          <Tooltip label={refund.message[locale]} multiline w={320}>
            <Badge
              color={refund.eligible ? 'orange' : 'gray'}
              variant="light"
              data-testid="progress-refund"
            >
              {refund.eligible
                ? t('homeworkBoard.board.refundEligible')
                : t('homeworkBoard.board.refundNotEligible', {
                    reasons: refund.reasons
                      .map((reason) => REFUND_REASON_LABELS[reason][locale])
                      .join(t('homeworkBoard.listSeparator')),
                  })}
            </Badge>
          </Tooltip>
        </Group>
        <Group gap="lg">
          <Text size="sm" data-testid="progress-percent">
            {t('homeworkBoard.board.progress', { percent: student.progressPercent })}
          </Text>
          <Text size="sm" data-testid="progress-days">
            {t('homeworkBoard.board.days', {
              count: days,
              date: formatServerTime(student.joinedAt, locale, serverNow),
            })}
          </Text>
        </Group>
        <Text size="sm" c="dimmed" data-testid="progress-last-contact">
          {student.contactedAt === null
            ? t('homeworkBoard.board.neverContacted')
            : t('homeworkBoard.board.lastContact', {
                name: contactedBy,
                time: formatServerTime(student.contactedAt, locale, serverNow),
              })}
          {student.contactedAt !== null && student.contactNote !== null
            ? ` · ${student.contactNote}`
            : ''}
        </Text>
        {pendingNote !== null && (
          <Badge color="yellow" variant="light" data-testid="progress-contact-pending">
            {t('homeworkBoard.board.contactedPending')}
          </Badge>
        )}
        {canContact && (
          <Group align="flex-start" gap="xs">
            <TextInput
              aria-label={t('homeworkBoard.board.note')}
              placeholder={t('homeworkBoard.board.notePlaceholder')}
              value={note}
              onChange={(event) => {
                setNote(event.currentTarget.value);
                setError(null);
              }}
              error={
                tooLong
                  ? t('homeworkBoard.board.noteTooLong', { max: MAX_CONTACT_NOTE })
                  : undefined
              }
              style={{ flex: 1 }}
              data-testid="progress-note"
            />
            <Button
              variant="light"
              loading={busy}
              disabled={tooLong}
              onClick={() => void contacted()}
              data-testid="progress-contacted"
            >
              {t('homeworkBoard.board.contacted')}
            </Button>
          </Group>
        )}
        {error !== null && !tooLong && (
          <Alert color="red" p="xs">
            {error}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
