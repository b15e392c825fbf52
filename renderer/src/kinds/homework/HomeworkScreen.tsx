import { Stack, Tabs } from '@mantine/core';
import type { TFunction } from 'i18next';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '#shared/domain/roles';
import { navigate } from '../../app/routing';
import type { ScreenProps } from '../registry';
import { ProgressBoardScreen } from './board/ProgressBoardScreen';
import { HomeworkListScreen } from './list/HomeworkListScreen';
import { MentorPoolScreen } from './pool/MentorPoolScreen';
import { StudentRecordsScreen } from './records/StudentRecordsScreen';
import { RubricsScreen } from './rubrics/RubricsScreen';

/** The parts of `#/homework`: each a subpath with its tab, for the roles that work there. */
interface HomeworkPart {
  readonly subpath: string;
  readonly label: (t: TFunction) => string;
  readonly roles: readonly Role[];
  readonly Part: ComponentType<ScreenProps>;
}

export const HOMEWORK_PARTS: readonly HomeworkPart[] = [
  {
    subpath: '',
    label: (t) => t('homework.tabs.today'),
    roles: ['ta', 'ops_manager'],
    Part: HomeworkListScreen,
  },
  {
    subpath: '/pool',
    label: (t) => t('homework.tabs.pool'),
    roles: ['mentor', 'ops_manager', 'ta'],
    Part: MentorPoolScreen,
  },
  {
    subpath: '/records',
    label: (t) => t('homework.tabs.records'),
    roles: ['ta', 'mentor', 'ops_manager'],
    Part: StudentRecordsScreen,
  },
  {
    subpath: '/board',
    label: (t) => t('homework.tabs.board'),
    roles: ['ta', 'ops_manager'],
    Part: ProgressBoardScreen,
  },
  {
    subpath: '/rubrics',
    label: (t) => t('homework.tabs.rubrics'),
    roles: ['ops_manager', 'ta', 'mentor'],
    Part: RubricsScreen,
  },
];

/**
 * `#/homework…`: the homework workstation. The tabs are the parts the user's role works in; the
 * bare address opens the role's first part (a mentor lands on the pool).
 */
export function HomeworkScreen(props: ScreenProps) {
  const { t } = useTranslation();
  const role = props.workspace.session.user.role;
  const parts = HOMEWORK_PARTS.filter((part) => part.roles.includes(role));
  const current =
    parts.find((part) => part.subpath === props.subpath) ??
    (props.subpath === '' ? parts[0] : undefined) ??
    parts[0];
  if (current === undefined) {
    return null;
  }
  return (
    <Stack gap="md">
      <Tabs
        value={current.subpath === '' ? 'today' : current.subpath}
        onChange={(value) => {
          navigate({
            name: 'screen',
            screenId: 'homework',
            subpath: value === null || value === 'today' ? '' : value,
            query: '',
          });
        }}
      >
        <Tabs.List>
          {parts.map((part) => (
            <Tabs.Tab
              key={part.subpath}
              value={part.subpath === '' ? 'today' : part.subpath}
              data-testid={`homework-tab${part.subpath.replace('/', '-') || '-today'}`}
            >
              {part.label(t)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <current.Part {...props} />
    </Stack>
  );
}
