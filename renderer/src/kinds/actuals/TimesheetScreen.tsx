import {
  Alert,
  Badge,
  Button,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addCalendarDays, formatShanghaiDateTime } from '#shared/domain/time';
import { currentMonday, isActualsManager, mondayOf, type ActualsWeek } from '#shared/ops/actuals';
import type { ScreenProps } from '../registry';
import { ageText } from '../settlement/SettlementScreen';
import { settlementT } from '../settlement/text';
import {
  actualsApi,
  ActualsRequestError,
  cellKey,
  changedCells,
  dayTotals,
  gridProjects,
  gridValues,
  parseHours,
  prefillFromRecorded,
  useCachedFetch,
  weekCacheKey,
  type Fetched,
  type GridValues,
} from './actualsData';
import { useActualsT, type ActualsT } from './text';
import { NetworkError } from '../../sync/transport';

const KNOWN_ERRORS = new Set([
  'MONTH_CLOSED',
  'DAY_IN_FUTURE',
  'DAY_OVER_24',
  'HOURS_OUT_OF_BOUNDS',
  'HOURS_NOT_QUARTER',
  'PROJECT_INACTIVE',
  'REASON_REQUIRED',
  'FORBIDDEN',
]);

function saveErrorText(t: ActualsT, failure: unknown): string {
  if (failure instanceof NetworkError) {
    return t('actuals.offlineSave');
  }
  if (failure instanceof ActualsRequestError && KNOWN_ERRORS.has(failure.code)) {
    return t(`actuals.errors.${failure.code}` as 'actuals.errors.other');
  }
  return t('actuals.errors.other', {
    message: failure instanceof Error ? failure.message : String(failure),
  });
}

const formatHours = (hours: number) => String(Math.round(hours * 100) / 100);

function Freshness({
  fetched,
  source,
}: {
  fetched: Fetched<unknown>;
  source: 'server' | 'cache' | 'unreachable';
}) {
  const t = useActualsT();
  const [now] = useState(() => Date.now());
  const { t: i18nT } = useTranslation();
  const when = formatShanghaiDateTime(fetched.fetchedAt);
  return (
    <Text
      size="sm"
      c={source === 'unreachable' ? 'orange' : 'dimmed'}
      data-testid="actuals-freshness"
    >
      {source === 'unreachable'
        ? t('actuals.fromCache', {
            when,
            age: ageText(settlementT(i18nT), now - fetched.fetchedAt),
          })
        : t('actuals.fresh', { when })}
    </Text>
  );
}

function WeekGrid({
  week,
  values,
  onChange,
  disabled,
}: {
  week: ActualsWeek;
  values: GridValues;
  onChange: (key: string, value: string) => void;
  disabled: boolean;
}) {
  const t = useActualsT();
  const projects = gridProjects(week);
  const totals = dayTotals(week, values);
  const recorded = new Map(week.recorded.map((day) => [day.day, day.hours]));
  const locks = new Map(week.editable.map((day) => [day.day, day.lock]));
  const weekTotal = Object.values(totals).reduce((sum, hours) => sum + hours, 0);
  return (
    <Table withTableBorder withColumnBorders data-testid="actuals-grid">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('actuals.project')}</Table.Th>
          {week.days.map((day) => {
            const lock = locks.get(day) ?? null;
            const hours = recorded.get(day) ?? 0;
            return (
              <Table.Th key={day} data-testid="actuals-day" data-day={day}>
                <Stack gap={0}>
                  <Text size="sm" fw={600}>
                    {day.slice(5)}
                  </Text>
                  <Text size="xs" c="dimmed" data-testid="actuals-recorded">
                    {hours > 0
                      ? t('actuals.recorded', { hours: formatHours(hours) })
                      : t('actuals.recordedNone')}
                  </Text>
                  {lock !== null && (
                    <Badge size="xs" color="gray" variant="light">
                      {t(`actuals.lock.${lock}`)}
                    </Badge>
                  )}
                </Stack>
              </Table.Th>
            );
          })}
          <Table.Th>{t('actuals.total')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {projects.map((project) => {
          const rowTotal = week.days.reduce(
            (sum, day) => sum + (parseHours(values[cellKey(project.id, day)] ?? '') ?? 0),
            0,
          );
          return (
            <Table.Tr key={project.id} data-testid="actuals-row" data-project={project.name}>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {project.name}
                  </Text>
                  <Badge
                    size="xs"
                    variant="light"
                    color={project.type === 'billable' ? 'teal' : 'grape'}
                    style={{ flexShrink: 0 }}
                  >
                    {t(`actuals.type.${project.type}`)}
                  </Badge>
                  {!project.active && (
                    <Badge size="xs" color="gray" variant="outline">
                      {t('actuals.inactive')}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              {week.days.map((day) => {
                const key = cellKey(project.id, day);
                const value = values[key] ?? '';
                const invalid = parseHours(value) === null;
                return (
                  <Table.Td key={day}>
                    <TextInput
                      size="xs"
                      w={64}
                      inputMode="decimal"
                      aria-label={t('actuals.hoursLabel', { project: project.name, day })}
                      data-testid="actuals-cell"
                      data-day={day}
                      data-project={project.name}
                      value={value}
                      error={invalid}
                      disabled={disabled || (locks.get(day) ?? null) !== null}
                      onChange={(event) => {
                        onChange(key, event.currentTarget.value);
                      }}
                    />
                  </Table.Td>
                );
              })}
              <Table.Td>
                <Text size="sm">{formatHours(rowTotal)}</Text>
              </Table.Td>
            </Table.Tr>
          );
        })}
        <Table.Tr>
          <Table.Td>
            <Text size="sm" fw={600}>
              {t('actuals.dayTotal')}
            </Text>
          </Table.Td>
          {week.days.map((day) => {
            const total = totals[day] ?? 0;
            return (
              <Table.Td key={day} data-testid="actuals-day-total" data-day={day}>
                <Text size="sm" fw={600} c={total > 24 ? 'red' : 'inherit'}>
                  {formatHours(total)}
                </Text>
              </Table.Td>
            );
          })}
          <Table.Td data-testid="actuals-week-total">
            <Text size="sm" fw={700}>
              {formatHours(weekTotal)}
            </Text>
          </Table.Td>
        </Table.Tr>
      </Table.Tbody>
    </Table>
  );
}

/** `#/actuals?week=YYYY-MM-DD`: the member's own timesheet, a week of projects × days. */
export function TimesheetScreen({ workspace, params }: ScreenProps) {
  const t = useActualsT();
  const api = useMemo(() => actualsApi(workspace), [workspace]);
  const asked = params.get('week');
  const initialMonday = useMemo(() => {
    try {
      return asked === null ? currentMonday(workspace.serverNow()) : mondayOf(asked);
    } catch {
      return currentMonday(workspace.serverNow());
    }
  }, [asked, workspace]);
  const [monday, setMonday] = useState(initialMonday);
  // Ops managers open someone else's week from the console (`?member=`) to correct it.
  const self = workspace.session.user;
  const askedMember = params.get('member');
  const memberId = askedMember !== null && isActualsManager(self.role) ? askedMember : self.id;
  const correcting = memberId !== self.id;
  const [reason, setReason] = useState('');
  const load = useCallback(() => api.week(monday, memberId), [api, monday, memberId]);
  const [state, replace] = useCachedFetch<ActualsWeek>(
    workspace.db,
    weekCacheKey(monday, memberId),
    load,
  );
  const week = state.status === 'ready' ? state.fetched.value : null;
  // The member's edits of the week on screen (until saved), tagged with their week.
  const sheet = `${memberId} ${monday}`;
  const [draft, setDraft] = useState<{ sheet: string; values: GridValues } | null>(null);
  const values: GridValues =
    draft?.sheet === sheet ? draft.values : week === null ? {} : gridValues(week);
  const setValues = (next: GridValues | null) => {
    setDraft(next === null ? null : { sheet, values: next });
  };
  const [prefillProject, setPrefillProject] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tagged, setMessage] = useState<{
    sheet: string;
    text: string;
    error: boolean;
  } | null>(null);
  const message = tagged?.sheet === sheet ? tagged : null;
  const projects = week === null ? [] : gridProjects(week);
  const activeProjects = projects.filter((project) => project.active);
  const prefillTarget = prefillProject ?? activeProjects[0]?.id ?? null;
  const changes = week === null ? [] : changedCells(week, values);
  const totals = week === null ? {} : dayTotals(week, values);
  const overDay = Object.entries(totals).find(([, hours]) => hours > 24)?.[0];
  const offline = state.status === 'ready' && state.source === 'unreachable';

  const save = () => {
    if (changes === null || changes.length === 0) {
      return;
    }
    setBusy(true);
    setMessage(null);
    api
      .save(monday, changes, { reason, memberId })
      .then((fetched) => {
        replace(fetched);
        setValues(null);
        setReason('');
        setMessage({
          sheet,
          text: t('actuals.saved', { when: formatShanghaiDateTime(fetched.fetchedAt) }),
          error: false,
        });
      })
      .catch((failure: unknown) => {
        setMessage({ sheet, text: saveErrorText(t, failure), error: true });
      })
      .finally(() => {
        setBusy(false);
      });
  };

  return (
    <Stack p="md" data-testid="actuals-screen">
      <Title order={2}>{t('actuals.title')}</Title>
      {correcting && week !== null && (
        <Text fw={600} data-testid="actuals-member">
          {t('actuals.memberOf', { name: week.memberName })}
        </Text>
      )}
      <Group>
        <Button
          variant="default"
          size="xs"
          data-testid="actuals-previous"
          onClick={() => {
            setMonday(addCalendarDays(monday, -7));
          }}
        >
          {t('actuals.previousWeek')}
        </Button>
        <Button
          variant="default"
          size="xs"
          onClick={() => {
            setMonday(currentMonday(workspace.serverNow()));
          }}
        >
          {t('actuals.thisWeek')}
        </Button>
        <Button
          variant="default"
          size="xs"
          data-testid="actuals-next"
          onClick={() => {
            setMonday(addCalendarDays(monday, 7));
          }}
        >
          {t('actuals.nextWeek')}
        </Button>
        <Text fw={600} data-testid="actuals-week" data-monday={monday}>
          {t('actuals.weekOf', { monday, sunday: addCalendarDays(monday, 6) })}
        </Text>
      </Group>
      {state.status === 'loading' && <Text c="dimmed">{t('actuals.loading')}</Text>}
      {state.status === 'offline' && (
        <Alert color="orange" data-testid="actuals-offline-nothing">
          {t('actuals.offlineNothing')}
        </Alert>
      )}
      {state.status === 'error' && (
        <Alert color="red" data-testid="actuals-error">
          {t('actuals.errors.other', { message: state.message })}
        </Alert>
      )}
      {state.status === 'ready' && week !== null && (
        <>
          <Freshness fetched={state.fetched} source={state.source} />
          {offline && (
            <Alert color="orange" data-testid="actuals-offline">
              {t('actuals.offlineSave')}
            </Alert>
          )}
          {projects.length === 0 ? (
            <Text c="dimmed">{t('actuals.noProjects')}</Text>
          ) : (
            <>
              <WeekGrid
                week={week}
                values={values}
                disabled={busy}
                onChange={(key, value) => {
                  setValues({ ...values, [key]: value });
                }}
              />
              <Text size="xs" c="dimmed">
                {t('actuals.lockedNote')}
              </Text>
              <Group align="end">
                <Select
                  size="xs"
                  label={t('actuals.prefillProject')}
                  data={activeProjects.map((project) => ({
                    value: project.id,
                    label: project.name,
                  }))}
                  value={prefillTarget}
                  onChange={setPrefillProject}
                  allowDeselect={false}
                  data-testid="actuals-prefill-project"
                />
                <Button
                  size="xs"
                  variant="light"
                  disabled={prefillTarget === null || busy}
                  data-testid="actuals-prefill"
                  title={t('actuals.prefillHint')}
                  onClick={() => {
                    if (prefillTarget !== null) {
                      setValues(prefillFromRecorded(week, values, prefillTarget));
                    }
                  }}
                >
                  {t('actuals.prefill')}
                </Button>
              </Group>
              <Text size="xs" c="dimmed">
                {t('actuals.prefillHint')}
              </Text>
              {correcting && (
                <TextInput
                  label={t('actuals.reason')}
                  value={reason}
                  required
                  maw={480}
                  data-testid="actuals-reason"
                  onChange={(event) => {
                    setReason(event.currentTarget.value);
                  }}
                />
              )}
              <Group>
                <Button
                  data-testid="actuals-save"
                  loading={busy}
                  disabled={
                    changes === null ||
                    changes.length === 0 ||
                    overDay !== undefined ||
                    (correcting && reason.trim() === '')
                  }
                  onClick={save}
                >
                  {t('actuals.save')}
                </Button>
                <Text size="sm" data-testid="actuals-pending">
                  {changes === null
                    ? t('actuals.invalidCell')
                    : overDay !== undefined
                      ? t('actuals.dayOver', { day: overDay })
                      : changes.length === 0
                        ? t('actuals.noChanges')
                        : t('actuals.unsaved', { count: changes.length })}
                </Text>
              </Group>
              {message !== null && (
                <Text size="sm" c={message.error ? 'red' : 'teal'} data-testid="actuals-message">
                  {message.text}
                </Text>
              )}
            </>
          )}
        </>
      )}
    </Stack>
  );
}
