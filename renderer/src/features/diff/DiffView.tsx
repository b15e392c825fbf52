import {
  Anchor,
  Badge,
  Box,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Switch,
  Table,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type {
  Change,
  FileAddedChange,
  FileRemovedChange,
  FileReplacedChange,
  PriceFieldChange,
  TagsChange,
  TextSegment,
} from '#shared/diff/index';
import { isJsonObject, type JsonValue } from '#shared/diff/patch';
import type { PathSegment } from '#shared/domain/validationIssue';
import type { Locale } from '#shared/i18n/localized';
import type { Shortcut } from '../../app/shortcuts';
import { useLocale } from '../../i18n/useLocale';
import type { Workspace } from '../../workspace/workspace';
import {
  credentialKindLabel,
  formatBytes,
  isImage,
  rowForEntry,
  type CredentialFileRow,
} from '../viewer/files';
import { useOwnedShortcuts } from '../viewer/ownKeys';
import { codeLabel, describeValue, formatPrice, signedMoney, signedPercent } from './describe';
import styles from './DiffView.module.css';
import { ImageDiff } from './ImageDiff';
import { groupChanges, orderedChanges, type StepGroup, type UnchangedField } from './model';

export type DiffMode = 'side' | 'inline';

const classes = styles as Readonly<
  Record<'del' | 'ins' | 'text' | 'change' | 'columns' | 'side', string | undefined>
>;

/** Equal runs of text longer than this are shortened to their ends (click to see all). */
const LONG_EQUAL = 240;
const EQUAL_CONTEXT = 80;

export interface DiffViewProps {
  /** For the image diff of replaced credential images (file bytes); null: no image diff. */
  readonly workspace: Workspace | null;
  readonly before: JsonValue | null;
  readonly after: JsonValue;
  readonly changes: readonly Change[];
  /** Headings of the two columns ("Live version (revision 2)", "Revision 3"). */
  readonly beforeLabel: string;
  readonly afterLabel: string;
  /** The listing's credential file rows, to find the bytes of replaced files. */
  readonly files?: readonly CredentialFileRow[];
  /** Where the item's Files tab is (links from file changes). */
  readonly filesHref?: string;
}

/**
 * The review view of a revision diff: changes grouped by form step with their field labels;
 * side-by-side or inline (`i`); only the modified fields (`m`) or with the unchanged ones
 * collapsed behind "show N unchanged"; `n`/`p` jump to the next/previous change. Text changes
 * are marked word by word (character by character in Chinese), prices with their change in
 * CNY, moved list items with their old and new place, replaced credential images with an
 * image diff.
 */
export function DiffView(props: DiffViewProps) {
  const { t } = useTranslation();
  const { before, after, changes } = props;
  const [mode, setMode] = useLocalStorage<DiffMode>({
    key: 'review-desk.diff-mode',
    defaultValue: 'side',
    getInitialValueInEffect: false,
  });
  const [modifiedOnly, setModifiedOnly] = useLocalStorage<boolean>({
    key: 'review-desk.diff-modified-only',
    defaultValue: false,
    getInitialValueInEffect: false,
  });
  const groups = useMemo(() => groupChanges(before, after, changes), [before, after, changes]);
  const ordered = useMemo(() => orderedChanges(groups), [groups]);
  const [current, setCurrent] = useState(-1);
  const [jumped, setJumped] = useState(0);
  const elements = useRef(new Map<number, HTMLElement>());

  const jump = useCallback(
    (delta: 1 | -1) => {
      if (ordered.length === 0) {
        return;
      }
      setCurrent((index) =>
        index < 0
          ? delta > 0
            ? 0
            : ordered.length - 1
          : Math.min(ordered.length - 1, Math.max(0, index + delta)),
      );
      setJumped((n) => n + 1);
    },
    [ordered.length],
  );

  useEffect(() => {
    if (jumped === 0) {
      return;
    }
    const element = elements.current.get(current);
    if (element !== undefined) {
      element.focus({ preventScroll: true });
      // jsdom has no scrollIntoView.
      (element as Partial<Pick<HTMLElement, 'scrollIntoView'>>).scrollIntoView?.({
        block: 'center',
        behavior: 'smooth',
      });
    }
  }, [jumped, current]);

  const toggleMode = useCallback(() => {
    setMode((old) => (old === 'side' ? 'inline' : 'side'));
  }, [setMode]);
  const toggleModifiedOnly = useCallback(() => {
    setModifiedOnly((old) => !old);
  }, [setModifiedOnly]);

  const group = t('diffView.shortcuts.group');
  const shortcuts = useMemo<readonly Shortcut[]>(
    () => [
      {
        keys: 'n',
        description: t('diffView.shortcuts.next'),
        group,
        run: () => {
          jump(1);
        },
      },
      {
        keys: 'p',
        description: t('diffView.shortcuts.previous'),
        group,
        run: () => {
          jump(-1);
        },
      },
      { keys: 'i', description: t('diffView.shortcuts.mode'), group, run: toggleMode },
      {
        keys: 'm',
        description: t('diffView.shortcuts.modifiedOnly'),
        group,
        run: toggleModifiedOnly,
      },
    ],
    [t, group, jump, toggleMode, toggleModifiedOnly],
  );
  useOwnedShortcuts(shortcuts);

  const register = useCallback((index: number, element: HTMLElement | null) => {
    if (element === null) {
      elements.current.delete(index);
    } else {
      elements.current.set(index, element);
    }
  }, []);

  const shown = modifiedOnly ? groups.filter((entry) => entry.changes.length > 0) : groups;

  return (
    <Stack gap="md" data-testid="diff-view" data-mode={mode} data-modified-only={modifiedOnly}>
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="md">
          <SegmentedControl
            size="xs"
            value={mode}
            onChange={(value) => {
              setMode(value);
            }}
            data={[
              { value: 'side', label: t('diffView.modeSide') },
              { value: 'inline', label: t('diffView.modeInline') },
            ]}
            aria-label={t('diffView.modeLabel')}
            data-testid="diff-mode"
          />
          <Switch
            size="sm"
            checked={modifiedOnly}
            onChange={(event) => {
              setModifiedOnly(event.currentTarget.checked);
            }}
            label={t('diffView.modifiedOnly')}
            data-testid="diff-modified-only"
          />
        </Group>
        <Group gap="xs">
          <Text size="sm" data-testid="diff-position" aria-live="polite">
            {ordered.length === 0
              ? t('diffView.noChangesShort')
              : current < 0
                ? t('diffView.changeCount', { count: ordered.length })
                : t('diffView.changePosition', { current: current + 1, count: ordered.length })}
          </Text>
          <Button
            size="xs"
            variant="default"
            disabled={ordered.length === 0}
            onClick={() => {
              jump(-1);
            }}
          >
            {t('diffView.previousChange')}
          </Button>
          <Button
            size="xs"
            variant="default"
            disabled={ordered.length === 0}
            onClick={() => {
              jump(1);
            }}
          >
            {t('diffView.nextChange')}
          </Button>
        </Group>
      </Group>
      {ordered.length === 0 && (
        <Text c="dimmed" data-testid="diff-no-changes">
          {t('diffView.noChanges')}
        </Text>
      )}
      {mode === 'side' && ordered.length > 0 && (
        <Box
          className={classes.columns}
          pl="sm"
          pr="sm"
          style={{
            position: 'sticky',
            top: 0,
            zIndex: 2,
            background: 'var(--mantine-color-body)',
            paddingTop: 4,
            paddingBottom: 4,
            borderBottom: '1px solid var(--mantine-color-default-border)',
          }}
        >
          <Text size="sm" fw={700}>
            {t('diffView.before')} · {props.beforeLabel}
          </Text>
          <Text size="sm" fw={700}>
            {t('diffView.after')} · {props.afterLabel}
          </Text>
        </Box>
      )}
      {shown.map((entry) => (
        <StepSection
          key={entry.step}
          group={entry}
          mode={mode}
          modifiedOnly={modifiedOnly}
          current={ordered[current]?.index ?? -1}
          register={register}
          onPick={(index) => {
            setCurrent(ordered.findIndex((change) => change.index === index));
          }}
          {...props}
        />
      ))}
    </Stack>
  );
}

function StepSection({
  group,
  mode,
  modifiedOnly,
  current,
  register,
  onPick,
  ...props
}: DiffViewProps & {
  readonly group: StepGroup;
  readonly mode: DiffMode;
  readonly modifiedOnly: boolean;
  readonly current: number;
  readonly register: (index: number, element: HTMLElement | null) => void;
  readonly onPick: (index: number) => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const headingId = `diff-step-${group.step || 'document'}`;
  return (
    <Stack
      gap="xs"
      component="section"
      aria-labelledby={headingId}
      data-testid="diff-step"
      data-step={group.step}
    >
      <Group gap="xs">
        <Title order={3} size="h5" id={headingId}>
          {group.label[locale]}
        </Title>
        {group.changes.length > 0 ? (
          <Badge size="sm" variant="light">
            {t('diffView.stepChanges', { count: group.changes.length })}
          </Badge>
        ) : (
          <Badge size="sm" variant="outline" color="gray">
            {t('diffView.stepUnchanged')}
          </Badge>
        )}
      </Group>
      {group.changes.map(({ index, change }) => (
        <Paper
          key={index}
          withBorder
          p="sm"
          tabIndex={-1}
          ref={(element: HTMLDivElement | null) => {
            register(index, element);
          }}
          className={classes.change}
          data-testid="diff-change"
          data-change-kind={change.kind}
          data-pointer={change.pointer}
          data-current={index === current}
          aria-label={`${change.label[locale]}: ${kindText(change, t)}`}
          onClick={() => {
            onPick(index);
          }}
        >
          <Stack gap={6}>
            <Group gap="xs" wrap="nowrap" justify="space-between">
              <Text size="sm" fw={600}>
                {change.label[locale]}
              </Text>
              <Badge size="xs" variant="outline" color={kindColor(change)} style={{ flex: 'none' }}>
                {kindText(change, t)}
              </Badge>
            </Group>
            <ChangeBody change={change} mode={mode} {...props} />
          </Stack>
        </Paper>
      ))}
      {!modifiedOnly && group.unchanged.length > 0 && <UnchangedFields fields={group.unchanged} />}
    </Stack>
  );
}

function kindText(change: Change, t: TFunction): string {
  switch (change.kind) {
    case 'value':
      return change.before === undefined
        ? t('diffView.kind.added')
        : change.after === undefined
          ? t('diffView.kind.removed')
          : t('diffView.kind.modified');
    case 'text':
      return change.formattingOnly ? t('diffView.kind.formatting') : t('diffView.kind.modified');
    case 'list-item-added':
    case 'file-added':
      return t('diffView.kind.added');
    case 'list-item-removed':
    case 'file-removed':
      return t('diffView.kind.removed');
    case 'list-item-moved':
      return t('diffView.kind.moved');
    case 'price':
      return t('diffView.kind.price');
    case 'file-replaced':
      return t('diffView.kind.replaced');
    case 'tags':
      return t('diffView.kind.modified');
  }
}

function kindColor(change: Change): string {
  if (change.kind === 'list-item-added' || change.kind === 'file-added') {
    return 'green';
  }
  if (change.kind === 'list-item-removed' || change.kind === 'file-removed') {
    return 'red';
  }
  return change.kind === 'price' ? 'orange' : 'blue';
}

// ---------------------------------------------------------------------------------------------
// Marked text

function Del({ children }: { readonly children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <del
      className={classes.del}
      data-start={t('diffView.a11y.deletedStart')}
      data-end={t('diffView.a11y.deletedEnd')}
    >
      {children}
    </del>
  );
}

function Ins({ children }: { readonly children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <ins
      className={classes.ins}
      data-start={t('diffView.a11y.insertedStart')}
      data-end={t('diffView.a11y.insertedEnd')}
    >
      {children}
    </ins>
  );
}

/** Unchanged text between edits; long runs show only their ends until clicked. */
function EqualText({ text }: { readonly text: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (open || text.length <= LONG_EQUAL) {
    return <span>{text}</span>;
  }
  const hidden = text.length - 2 * EQUAL_CONTEXT;
  return (
    <span>
      {text.slice(0, EQUAL_CONTEXT)}
      <UnstyledButton
        component="span"
        role="button"
        tabIndex={0}
        onClick={(event) => {
          event.stopPropagation();
          setOpen(true);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            setOpen(true);
          }
        }}
        style={{ color: 'var(--mantine-color-anchor)', fontSize: '0.85em', padding: '0 4px' }}
      >
        {t('diffView.unchangedText', { count: hidden })}
      </UnstyledButton>
      {text.slice(text.length - EQUAL_CONTEXT)}
    </span>
  );
}

/** Text segments: the old side (equal + deleted), the new side (equal + inserted), or both. */
function Segments({
  segments,
  show,
}: {
  readonly segments: readonly TextSegment[];
  readonly show: 'before' | 'after' | 'both';
}) {
  return (
    <Text size="sm" component="div" className={classes.text}>
      {segments.map((segment, index) => {
        if (segment.kind === 'equal') {
          return <EqualText key={index} text={segment.text} />;
        }
        if (segment.kind === 'delete') {
          return show === 'after' ? null : <Del key={index}>{segment.text}</Del>;
        }
        return show === 'before' ? null : <Ins key={index}>{segment.text}</Ins>;
      })}
    </Text>
  );
}

/**
 * A text change marked as the revision view marks it, side by side (old | new) or inline: for
 * other screens that show a text diff (the homework evidence change).
 */
export function TextDiff({
  segments,
  side = true,
}: {
  readonly segments: readonly TextSegment[];
  readonly side?: boolean;
}) {
  return side ? (
    <Columns
      before={<Segments segments={segments} show="before" />}
      after={<Segments segments={segments} show="after" />}
    />
  ) : (
    <Segments segments={segments} show="both" />
  );
}

function Columns({ before, after }: { readonly before: ReactNode; readonly after: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className={classes.columns}>
      <div className={classes.side} aria-label={t('diffView.before')}>
        {before}
      </div>
      <div className={classes.side} aria-label={t('diffView.after')}>
        {after}
      </div>
    </div>
  );
}

function Absent() {
  const { t } = useTranslation();
  return (
    <Text size="sm" c="dimmed" fs="italic">
      {t('diffView.absent')}
    </Text>
  );
}

function Plain({ children }: { readonly children: ReactNode }) {
  return (
    <Text size="sm" component="div" className={classes.text}>
      {children}
    </Text>
  );
}

// ---------------------------------------------------------------------------------------------
// Bodies by kind

function ChangeBody({
  change,
  mode,
  ...props
}: DiffViewProps & { readonly change: Change; readonly mode: DiffMode }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const side = mode === 'side';
  switch (change.kind) {
    case 'text': {
      const notes = [
        change.formattingOnly ? t('diffView.text.formattingOnly') : null,
        change.granularity === 'line' ? t('diffView.text.lines') : null,
        change.granularity === 'whole' ? t('diffView.text.whole') : null,
      ].filter((note) => note !== null);
      return (
        <Stack gap={4}>
          {side ? (
            <Columns
              before={<Segments segments={change.segments} show="before" />}
              after={<Segments segments={change.segments} show="after" />}
            />
          ) : (
            <Segments segments={change.segments} show="both" />
          )}
          {notes.map((note) => (
            <Text key={note} size="xs" c="dimmed">
              {note}
            </Text>
          ))}
        </Stack>
      );
    }
    case 'value': {
      const before =
        change.before === undefined ? null : describeValue(change.before, change.path, locale);
      const after =
        change.after === undefined ? null : describeValue(change.after, change.path, locale);
      return side ? (
        <Columns
          before={before === null ? <Absent /> : <Plain>{before}</Plain>}
          after={after === null ? <Absent /> : <Plain>{after}</Plain>}
        />
      ) : (
        <Plain>
          {before !== null && <Del>{before}</Del>}
          {before !== null && after !== null && ' → '}
          {after !== null && <Ins>{after}</Ins>}
        </Plain>
      );
    }
    case 'price':
      return <PriceBody change={change} side={side} />;
    case 'list-item-added':
    case 'list-item-removed': {
      const description = (
        <>
          {change.itemName !== undefined && <strong>{change.itemName}</strong>}
          {change.itemName !== undefined && <br />}
          {describeValue(change.item, change.path, locale)}
        </>
      );
      const added = change.kind === 'list-item-added';
      return side ? (
        <Columns
          before={added ? <Absent /> : <Plain>{description}</Plain>}
          after={added ? <Plain>{description}</Plain> : <Absent />}
        />
      ) : (
        <Plain>{added ? <Ins>{description}</Ins> : <Del>{description}</Del>}</Plain>
      );
    }
    case 'list-item-moved':
      return (
        <Plain>
          {change.itemName !== undefined && <strong>{change.itemName} </strong>}
          {t('diffView.moved', { from: change.from + 1, to: change.to + 1 })}
        </Plain>
      );
    case 'tags':
      return <TagsBody change={change} side={side} />;
    case 'file-added':
    case 'file-removed':
      return <FileBody change={change} side={side} {...props} />;
    case 'file-replaced':
      return <FileReplacedBody change={change} side={side} {...props} />;
  }
}

function PriceBody({
  change,
  side,
}: {
  readonly change: PriceFieldChange;
  readonly side: boolean;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const before = formatPrice(change.before as unknown as JsonValue, locale) ?? '?';
  const after = formatPrice(change.after as unknown as JsonValue, locale) ?? '?';
  return (
    <Stack gap={4}>
      {side ? (
        <Columns before={<Plain>{before}</Plain>} after={<Plain>{after}</Plain>} />
      ) : (
        <Plain>
          <Del>{before}</Del> → <Ins>{after}</Ins>
        </Plain>
      )}
      <PriceDelta change={change} locale={locale} t={t} />
    </Stack>
  );
}

function PriceDelta({
  change,
  locale,
  t,
}: {
  readonly change: PriceFieldChange;
  readonly locale: Locale;
  readonly t: TFunction;
}) {
  if (!change.change.ok) {
    return (
      <Text size="sm" c="red" data-testid="price-delta">
        {t('diffView.price.notConverted', { reason: change.change.error.message[locale] })}
      </Text>
    );
  }
  const value = change.change.value;
  const bound = (delta: typeof value.min) => {
    const direction = delta.absolute.amount.startsWith('-')
      ? t('diffView.price.down')
      : /^[-+]?0*(\.0*)?$/.test(delta.absolute.amount)
        ? t('diffView.price.same')
        : t('diffView.price.up');
    const percent = delta.percent === null ? '' : `（${signedPercent(delta.percent)}）`;
    const amount = signedMoney(delta.absolute, locale);
    return locale === 'zh-CN'
      ? `${direction} ${amount}${percent}`
      : `${direction} ${amount}${percent.replace('（', ' (').replace('）', ')')}`;
  };
  const foreign =
    value.before.original.currency !== 'CNY' || value.after.original.currency !== 'CNY';
  const same = value.before.kind === 'fixed' && value.after.kind === 'fixed';
  return (
    <Stack gap={2} data-testid="price-delta">
      <Text size="sm" fw={600}>
        {value.unchanged
          ? t('diffView.price.unchangedInCny')
          : same
            ? t('diffView.price.changeFixed', { change: bound(value.min) })
            : t('diffView.price.changeRange', { min: bound(value.min), max: bound(value.max) })}
      </Text>
      {(foreign || value.currencyChanged || value.kindChanged) && (
        <Text size="xs" c="dimmed">
          {[
            foreign ? t('diffView.price.converted', { date: value.after.rateDate }) : null,
            value.currencyChanged ? t('diffView.price.currencyChanged') : null,
            value.kindChanged ? t('diffView.price.kindChanged') : null,
          ]
            .filter((note) => note !== null)
            .join(' ')}
        </Text>
      )}
    </Stack>
  );
}

function TagsBody({ change, side }: { readonly change: TagsChange; readonly side: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const label = (tag: string) => codeLabel([...change.path, 0], tag, locale);
  const separator = locale === 'zh-CN' ? '、' : ', ';
  const added = new Set(change.added);
  const removed = new Set(change.removed);
  const list = (tags: readonly string[], mark: 'ins' | 'del' | null) =>
    tags.length === 0 ? (
      <Absent />
    ) : (
      <Plain>
        {tags.map((tag, index) => (
          <span key={`${tag}-${String(index)}`}>
            {index > 0 && separator}
            {mark === 'ins' && added.has(tag) ? (
              <Ins>{label(tag)}</Ins>
            ) : mark === 'del' && removed.has(tag) ? (
              <Del>{label(tag)}</Del>
            ) : (
              label(tag)
            )}
          </span>
        ))}
      </Plain>
    );
  return (
    <Stack gap={4}>
      {side ? (
        <Columns before={list(change.before, 'del')} after={list(change.after, 'ins')} />
      ) : (
        <Plain>
          {change.after.map((tag, index) => (
            <span key={`a-${tag}-${String(index)}`}>
              {index > 0 && separator}
              {added.has(tag) ? <Ins>{label(tag)}</Ins> : label(tag)}
            </span>
          ))}
          {change.removed.map((tag) => (
            <span key={`r-${tag}`}>
              {separator}
              <Del>{label(tag)}</Del>
            </span>
          ))}
        </Plain>
      )}
      {change.reordered && (
        <Text size="xs" c="dimmed">
          {t('diffView.tagsReordered')}
        </Text>
      )}
    </Stack>
  );
}

function fileFacts(file: JsonValue, locale: Locale): string {
  if (!isJsonObject(file)) {
    return '';
  }
  const parts: string[] = [];
  if (typeof file['kind'] === 'string') {
    parts.push(credentialKindLabel(file['kind'], locale));
  }
  if (typeof file['sizeBytes'] === 'number') {
    parts.push(formatBytes(file['sizeBytes'], locale));
  }
  if (typeof file['sha256'] === 'string') {
    parts.push(`SHA-256 ${file['sha256'].slice(0, 12)}…`);
  }
  return parts.join(' · ');
}

function FileDescription({ file, name }: { readonly file: JsonValue; readonly name?: string }) {
  const locale = useLocale();
  return (
    <Plain>
      <strong>{name ?? '?'}</strong>
      <br />
      <Text span size="xs" c="dimmed">
        {fileFacts(file, locale)}
      </Text>
    </Plain>
  );
}

function FileBody({
  change,
  side,
  filesHref,
}: DiffViewProps & {
  readonly change: FileAddedChange | FileRemovedChange;
  readonly side: boolean;
}) {
  const { t } = useTranslation();
  const added = change.kind === 'file-added';
  const description = <FileDescription file={change.file} {...nameProp(change.fileName)} />;
  return (
    <Stack gap={4}>
      {side ? (
        <Columns
          before={added ? <Absent /> : description}
          after={added ? description : <Absent />}
        />
      ) : added ? (
        <Ins>{description}</Ins>
      ) : (
        <Del>{description}</Del>
      )}
      {added && filesHref !== undefined && (
        <Anchor href={filesHref} size="xs">
          {t('diffView.openFiles')}
        </Anchor>
      )}
    </Stack>
  );
}

const nameProp = (name: string | undefined) => (name === undefined ? {} : { name });

const stringMember = (value: JsonValue, key: string): string | null => {
  const member = isJsonObject(value) ? value[key] : undefined;
  return typeof member === 'string' ? member : null;
};

function FileReplacedBody({
  change,
  side,
  workspace,
  files,
  filesHref,
}: DiffViewProps & { readonly change: FileReplacedChange; readonly side: boolean }) {
  const { t } = useTranslation();
  const beforeName = stringMember(change.before, 'fileName') ?? change.fileName;
  const afterName = stringMember(change.after, 'fileName') ?? change.fileName;
  const beforeRow = rowForEntry(change.before, files ?? []);
  const afterRow = rowForEntry(change.after, files ?? []);
  const beforeType = beforeRow?.mimeType ?? stringMember(change.before, 'mimeType') ?? '';
  const afterType = afterRow?.mimeType ?? stringMember(change.after, 'mimeType') ?? '';
  const images =
    workspace !== null &&
    beforeRow !== undefined &&
    afterRow !== undefined &&
    isImage(beforeType) &&
    isImage(afterType);
  return (
    <Stack gap="xs">
      {side ? (
        <Columns
          before={<FileDescription file={change.before} {...nameProp(beforeName)} />}
          after={<FileDescription file={change.after} {...nameProp(afterName)} />}
        />
      ) : (
        <Plain>
          <Del>
            <FileDescription file={change.before} {...nameProp(beforeName)} />
          </Del>
          <Ins>
            <FileDescription file={change.after} {...nameProp(afterName)} />
          </Ins>
        </Plain>
      )}
      <Text size="xs" c="dimmed">
        {change.match === 'same-id' ? t('diffView.file.sameId') : t('diffView.file.reupload')}
      </Text>
      {images ? (
        <ImageDiff
          workspace={workspace}
          before={{
            id: beforeRow.id,
            sha256: beforeRow.sha256,
            mimeType: beforeRow.mimeType,
            fileName: beforeName ?? beforeRow.originalName,
          }}
          after={{
            id: afterRow.id,
            sha256: afterRow.sha256,
            mimeType: afterRow.mimeType,
            fileName: afterName ?? afterRow.originalName,
          }}
        />
      ) : (
        <Text size="xs" c="dimmed">
          {t('diffView.file.noImageDiff')}
          {filesHref !== undefined && (
            <>
              {' '}
              <Anchor href={filesHref} size="xs">
                {t('diffView.openFiles')}
              </Anchor>
            </>
          )}
        </Text>
      )}
      {change.ocr !== undefined && (
        <Stack gap={2}>
          <Text size="xs" fw={600}>
            {t('diffView.file.ocr')}
          </Text>
          <Segments segments={change.ocr.segments} show="both" />
        </Stack>
      )}
    </Stack>
  );
}

// ---------------------------------------------------------------------------------------------
// Unchanged fields

function UnchangedFields({ fields }: { readonly fields: readonly UnchangedField[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [open, setOpen] = useState(false);
  return (
    <Stack gap={4} data-testid="diff-unchanged" data-count={fields.length}>
      <Group>
        <Button
          size="compact-xs"
          variant="subtle"
          color="gray"
          aria-expanded={open}
          onClick={() => {
            setOpen((value) => !value);
          }}
        >
          {open
            ? t('diffView.hideUnchanged', { count: fields.length })
            : t('diffView.showUnchanged', { count: fields.length })}
        </Button>
      </Group>
      {open && (
        <Table withTableBorder fz="sm" data-testid="diff-unchanged-list">
          <Table.Tbody>
            {fields.map((field) => (
              <Table.Tr key={field.pointer}>
                <Table.Td w="30%" c="dimmed">
                  {field.label[locale]}
                </Table.Td>
                <Table.Td className={classes.text}>
                  {shorten(describeValue(field.value, field.path as PathSegment[], locale))}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

const shorten = (text: string, max = 400) => (text.length > max ? `${text.slice(0, max)}…` : text);
