import { Badge, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StudentArchiveRecord } from '#shared/sync/rows';
import { formatServerTime, useNow } from '../../../app/format';
import { useLocale } from '../../../i18n/useLocale';
import type { ScreenProps } from '../../registry';
import { useStudentArchive, compareChapters } from '../data';
import { matchesStudent, summarize } from './recordsSummary';

/**
 * `#/homework/records`: the student record (学员档案), the work mentors reviewed and the server
 * archived: student ID, name, chapter, score, excellent, the mentor's comment, when. Filtered by
 * student (ID or name; `?student=S2026001` opens it filtered) and chapter, with each student's
 * total and average score over the rows shown.
 */
export function StudentRecordsScreen({ workspace, params }: ScreenProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const now = useNow(60_000);
  const archive = useStudentArchive(workspace.db);
  const fromAddress = params.get('student') ?? '';
  const [student, setStudent] = useState(fromAddress);
  const [chapter, setChapter] = useState<string | null>(null);
  // A new `?student=` (a link from elsewhere) replaces what was typed.
  const [address, setAddress] = useState(fromAddress);
  if (address !== fromAddress) {
    setAddress(fromAddress);
    setStudent(fromAddress);
  }

  const chapters = useMemo(
    () => [...new Set((archive ?? []).map((row) => row.chapter))].sort(compareChapters),
    [archive],
  );
  const rows = useMemo(
    () =>
      (archive ?? []).filter(
        (row) => matchesStudent(row, student) && (chapter === null || row.chapter === chapter),
      ),
    [archive, student, chapter],
  );
  const summaries = useMemo(() => summarize(rows), [rows]);

  return (
    <Stack gap="md" data-testid="student-records">
      <Title order={2}>{t('homeworkBoard.records.title')}</Title>
      <Group align="flex-end" gap="sm">
        <TextInput
          label={t('homeworkBoard.records.student')}
          placeholder={t('homeworkBoard.records.studentPlaceholder')}
          value={student}
          onChange={(event) => {
            setStudent(event.currentTarget.value);
          }}
          w={220}
          data-testid="records-filter-student"
        />
        <Select
          label={t('homeworkBoard.records.chapter')}
          placeholder={t('homeworkBoard.records.allChapters')}
          data={chapters.map((value) => ({
            value,
            label: t('homework.chapter', { chapter: value }),
          }))}
          value={chapter}
          onChange={setChapter}
          clearable
          w={180}
          data-testid="records-filter-chapter"
        />
      </Group>
      {archive === undefined ? null : rows.length === 0 ? (
        <Text c="dimmed" data-testid="records-empty">
          {archive.length === 0
            ? t('homeworkBoard.records.emptyAll')
            : t('homeworkBoard.records.empty')}
        </Text>
      ) : (
        <>
          <Table striped withTableBorder data-testid="records-summary">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('homeworkBoard.records.columns.student')}</Table.Th>
                <Table.Th>{t('homeworkBoard.records.columns.records')}</Table.Th>
                <Table.Th>{t('homeworkBoard.records.columns.total')}</Table.Th>
                <Table.Th>{t('homeworkBoard.records.columns.average')}</Table.Th>
                <Table.Th>{t('homeworkBoard.records.columns.excellentCount')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {summaries.map((summary) => (
                <Table.Tr
                  key={summary.studentId}
                  data-testid="student-summary"
                  data-student-id={summary.studentId}
                  data-total={summary.total}
                  data-average={summary.average ?? ''}
                >
                  <Table.Td>
                    {summary.studentName} · {summary.studentId}
                  </Table.Td>
                  <Table.Td>{summary.records}</Table.Td>
                  <Table.Td>{summary.total}</Table.Td>
                  <Table.Td>{summary.average === null ? '—' : summary.average.toFixed(1)}</Table.Td>
                  <Table.Td>{summary.excellent}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Table striped highlightOnHover withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('homeworkBoard.records.columns.studentId')}</Table.Th>
                <Table.Th>{t('homeworkBoard.records.columns.name')}</Table.Th>
                <Table.Th>{t('homeworkBoard.records.columns.chapter')}</Table.Th>
                <Table.Th>{t('homeworkBoard.records.columns.score')}</Table.Th>
                <Table.Th>{t('homeworkBoard.records.columns.excellent')}</Table.Th>
                <Table.Th>{t('homeworkBoard.records.columns.comment')}</Table.Th>
                <Table.Th>{t('homeworkBoard.records.columns.archivedAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <RecordRow
                  key={row.id}
                  row={row}
                  time={formatServerTime(row.archivedAt, locale, now)}
                />
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}

function RecordRow({ row, time }: { readonly row: StudentArchiveRecord; readonly time: string }) {
  const { t } = useTranslation();
  return (
    <Table.Tr
      data-testid="student-record"
      data-student-id={row.studentId}
      data-submission-id={row.submissionId}
    >
      <Table.Td>{row.studentId}</Table.Td>
      <Table.Td>{row.studentName}</Table.Td>
      <Table.Td>{t('homework.chapter', { chapter: row.chapter })}</Table.Td>
      <Table.Td>{row.score ?? '—'}</Table.Td>
      <Table.Td>
        {row.excellent && (
          <Badge color="teal" size="sm">
            {t('homeworkBoard.excellent')}
          </Badge>
        )}
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{row.mentorComment ?? '—'}</Table.Td>
      <Table.Td>{time}</Table.Td>
    </Table.Tr>
  );
}
