import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  Select,
  Stack,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  LISTING_STEPS,
  PROVIDER_KIND_LABELS,
  isRecord,
  type ListingStep,
} from '#shared/domain/listing/document';
import { STEP_LABELS } from '#shared/domain/listing/fieldLabels';
import { shanghaiDate } from '#shared/domain/time';
import type { FieldPath, ValidationIssue } from '#shared/domain/validationIssue';
import { toJsonPointer } from '#shared/domain/validationIssue';
import { isLocale, type Locale } from '#shared/i18n/localized';
import type { ScreenProps } from '../registry';
import { getAt, issuesByPointer, stepProgress, type ProviderChoice } from './draftDocument';
import { createRestDraftStore, type DraftStore } from './draftStore';
import {
  EditorContext,
  PathIssues,
  useEditor,
  type EditorContextValue,
  type Option,
} from './fields';
import { BasicForm } from './steps/BasicForm';
import { HighlightsForm } from './steps/HighlightsForm';
import { PackagesForm } from './steps/PackagesForm';
import { ProcessForm, RequirementsForm } from './steps/ProcessForm';
import { CredentialsForm, RiskForm } from './steps/RiskCredentialsForms';
import { useEditorT, type EditorT } from './text';
import { useDraft, type DraftStatus, type DraftTarget } from './useDraft';
import { DraftList } from './DraftList';
import { DraftConflicts } from './DraftConflicts';
import { ConfirmationPanel } from './ConfirmationPanel';
import { CollaboratorsPanel } from './CollaboratorsPanel';
import { VersionsPanel } from './VersionsPanel';
import { PrefillPanel } from './prefill/PrefillPanel';

/** Where the editor is: the draft list (`#/listings`), a new draft, or a listing's draft. */
export type EditorRoute =
  | { readonly name: 'list' }
  | { readonly name: 'new'; readonly key: string | null }
  | { readonly name: 'edit'; readonly listingId: string }
  | { readonly name: 'unknown' };

export function parseEditorRoute(subpath: string, params: URLSearchParams): EditorRoute {
  if (subpath === '' || subpath === '/') {
    return { name: 'list' };
  }
  if (subpath === '/new') {
    const key = params.get('draft');
    return { name: 'new', key: key !== null && /^[A-Za-z0-9-]{1,64}$/.test(key) ? key : null };
  }
  const edit = /^\/([0-9a-fA-F-]{36})\/edit$/.exec(subpath);
  return edit?.[1] === undefined ? { name: 'unknown' } : { name: 'edit', listingId: edit[1] };
}

/** Sets the address without a navigation (the screen stays mounted, the draft open). */
function replaceHash(hash: string): void {
  window.history.replaceState(window.history.state, '', hash);
}

/** `#/listings…`: the listing editor (issue 11) for assistants, submitters and collaborators. */
export function EditorScreen({ workspace, subpath, params }: ScreenProps) {
  const t = useEditorT();
  const route = parseEditorRoute(subpath, params);
  const store = useMemo(() => createRestDraftStore(workspace), [workspace]);
  if (route.name === 'list') {
    return <DraftList store={store} workspace={workspace} />;
  }
  if (route.name === 'unknown') {
    return <Alert color="red">{t('listingEditor.unknownRoute')}</Alert>;
  }
  return <Editor workspace={workspace} store={store} route={route} />;
}

function Editor({
  workspace,
  store,
  route,
}: {
  readonly workspace: ScreenProps['workspace'];
  readonly store: DraftStore;
  readonly route: Extract<EditorRoute, { name: 'new' | 'edit' }>;
}) {
  const t = useEditorT();
  const { i18n } = useTranslation();
  const locale: Locale = isLocale(i18n.language) ? i18n.language : 'zh-CN';
  const role = workspace.session.user.role;
  const db = workspace.db;
  // A new draft gets its device key at once, in the address: a reload reopens the same draft.
  const [newKey] = useState(() => (route.name === 'new' ? (route.key ?? crypto.randomUUID()) : ''));
  useEffect(() => {
    if (route.name === 'new' && route.key === null) {
      replaceHash(`#/listings/new?draft=${newKey}`);
    }
  }, [route, newKey]);
  const target: DraftTarget =
    route.name === 'edit'
      ? { kind: 'listing', listingId: route.listingId }
      : { kind: 'new', key: newKey };

  const me = useLiveQuery(() => db.mirror('users').get(workspace.session.user.id), [db, workspace]);
  const institutions = useLiveQuery(() => db.mirror('institutions').toArray(), [db]) ?? [];
  const mentorQuery = useLiveQuery(() => db.mirror('mentor_profiles').toArray(), [db]);
  const mentorRows = useMemo(() => mentorQuery ?? [], [mentorQuery]);
  const providers: ProviderChoice[] = institutions.flatMap((row) =>
    typeof row['name'] === 'string' && (row['kind'] === 'institution' || row['kind'] === 'tutor')
      ? [{ id: row.id, name: row['name'], kind: row['kind'] }]
      : [],
  );
  const ownInstitution = typeof me?.['institutionId'] === 'string' ? me['institutionId'] : null;
  const defaultProvider =
    providers.find((provider) => provider.id === ownInstitution) ??
    (role !== 'assistant' && providers.length === 1 ? (providers[0] ?? null) : null);
  const verifiedMentorIds = useMemo(
    () => new Set(mentorRows.filter((row) => row['verified'] === true).map((row) => row.id)),
    [mentorRows],
  );
  const onCreated = useCallback((listingId: string) => {
    replaceHash(`#/listings/${listingId}/edit`);
  }, []);
  const draft = useDraft({
    workspace,
    store,
    target,
    defaultProvider,
    verifiedMentorIds: mentorRows.length === 0 ? undefined : verifiedMentorIds,
    onCreated,
  });

  // A new draft opened before the device knew the user's institution gets it once it syncs.
  const providerMissing =
    draft.load.status === 'ready' && getAt(draft.load.draft.document, ['provider']) === undefined;
  const { update: updateDraft } = draft;
  useEffect(() => {
    if (providerMissing && defaultProvider !== null && role !== 'assistant') {
      updateDraft(['provider'], { ...defaultProvider });
    }
  }, [providerMissing, defaultProvider, role, updateDraft]);
  const [today] = useState(() => shanghaiDate(Date.now()));
  const [active, setActive] = useState<ListingStep>('basic');
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [checked, setChecked] = useState<ReadonlySet<ListingStep>>(new Set());
  const [showAll, setShowAll] = useState(false);
  // Sent for the institution's confirmation (ConfirmationPanel): read-only until answered.
  const [confirmationLock, setConfirmationLock] = useState(false);
  const showAllIssues = useCallback(() => {
    setShowAll(true);
  }, []);

  const doc = draft.load.status === 'ready' ? draft.load.draft.document : null;
  const submitted = draft.submitState.status === 'submitted';
  const serverIssues = draft.serverIssues;
  const allIssues: readonly ValidationIssue[] = useMemo(() => {
    if (serverIssues === null) {
      return draft.issues;
    }
    const own = new Set(draft.issues.map((issue) => `${toJsonPointer(issue.path)}|${issue.code}`));
    return [
      ...draft.issues,
      ...serverIssues.filter((issue) => !own.has(`${toJsonPointer(issue.path)}|${issue.code}`)),
    ];
  }, [draft.issues, serverIssues]);
  const byPointer = useMemo(() => issuesByPointer(allIssues), [allIssues]);
  const progress = useMemo(() => stepProgress(allIssues), [allIssues]);

  const context: EditorContextValue | null = useMemo(
    () =>
      doc === null
        ? null
        : {
            doc,
            locale,
            // Submitted, the listing is the reviewers' until it comes back or is withdrawn.
            readOnly: submitted || confirmationLock,
            update: (path: FieldPath, value: unknown) => {
              if (submitted || confirmationLock) {
                return;
              }
              setTouched((previous) => new Set(previous).add(toJsonPointer(path)));
              draft.update(path, value);
            },
            touch: (path: FieldPath) => {
              const pointer = toJsonPointer(path);
              setTouched((previous) =>
                previous.has(pointer) ? previous : new Set(previous).add(pointer),
              );
            },
            issuesAt: (path: FieldPath) => {
              const pointer = toJsonPointer(path);
              const step = path[0];
              const visible =
                showAll ||
                touched.has(pointer) ||
                (typeof step === 'string' && checked.has(step as ListingStep)) ||
                path[0] === 'provider';
              return visible ? (byPointer.get(pointer) ?? []) : [];
            },
          },
    // `draft.update` is stable; the rest is what the fields read.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [doc, locale, byPointer, touched, checked, showAll, submitted, confirmationLock],
  );

  if (draft.load.status === 'failed') {
    return (
      <Alert color="red" data-testid="editor-load-failed">
        {draft.load.message === 'offline'
          ? t('listingEditor.loadOffline')
          : t('listingEditor.loadFailed', { reason: draft.load.message })}
      </Alert>
    );
  }
  if (draft.load.status === 'loading' || context === null || doc === null) {
    return <Text>{t('listingEditor.loading')}</Text>;
  }
  const listingId = draft.load.draft.listingId;
  const complete = progress.filter((step) => step.errors === 0).length;

  const go = (step: ListingStep) => {
    setChecked((previous) => new Set(previous).add(active));
    setActive(step);
    requestAnimationFrame(() => {
      document.getElementById('editor-step-title')?.focus();
    });
  };
  const index = LISTING_STEPS.indexOf(active);
  const mentors: Option[] = mentorRows
    .filter(
      (row) => row['verified'] === true && row['institutionId'] === getAt(doc, ['provider', 'id']),
    )
    .map((row) => ({
      value: row.id,
      label: typeof row['name'] === 'string' ? row['name'] : row.id,
    }));

  return (
    <EditorContext.Provider value={context}>
      <Stack gap="md" maw={1100} data-testid="listing-editor" data-listing-id={listingId}>
        <Group justify="space-between" align="start">
          <div>
            <Title order={2}>
              {listingId === '' ? t('listingEditor.titleNew') : t('listingEditor.titleEdit')}
            </Title>
            <ProviderLine
              providers={providers}
              assistant={role === 'assistant'}
              listingId={listingId}
            />
          </div>
          <SaveStatus status={draft.status} online={draft.online} t={t} />
        </Group>
        <DraftConflicts
          conflicts={draft.conflicts}
          locale={locale}
          t={t}
          disabled={submitted}
          onResolve={(path, choice) => {
            void draft.resolve(path, choice);
          }}
        />
        <Paper withBorder p="sm">
          <Group justify="space-between" mb={6}>
            <Text size="sm" fw={500}>
              {t('listingEditor.progress', { complete, total: LISTING_STEPS.length })}
            </Text>
          </Group>
          <Progress value={(complete / LISTING_STEPS.length) * 100} size="sm" mb="sm" aria-hidden />
          <nav aria-label={t('listingEditor.stepsNav')}>
            <Group
              gap={6}
              wrap="wrap"
              component="ol"
              style={{ listStyle: 'none', padding: 0, margin: 0 }}
            >
              {progress.map((step, i) => (
                <li key={step.step}>
                  <UnstyledButton
                    data-testid="step-tab"
                    data-step={step.step}
                    data-complete={step.errors === 0 ? 'true' : 'false'}
                    aria-current={step.step === active ? 'step' : undefined}
                    onClick={() => {
                      go(step.step);
                    }}
                    style={{
                      padding: '6px 10px',
                      borderRadius: 6,
                      border: '1px solid var(--mantine-color-default-border)',
                      background:
                        step.step === active ? 'var(--mantine-color-blue-light)' : undefined,
                    }}
                  >
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" fw={step.step === active ? 700 : 400}>
                        {`${String(i + 1)}. ${STEP_LABELS[step.step][locale]}`}
                      </Text>
                      {step.errors === 0 ? (
                        <Badge color="green" size="xs" variant="light">
                          {t('listingEditor.stepComplete')}
                        </Badge>
                      ) : (
                        <Badge color="gray" size="xs" variant="light">
                          {t('listingEditor.stepIncomplete', { count: step.errors })}
                        </Badge>
                      )}
                    </Group>
                  </UnstyledButton>
                </li>
              ))}
            </Group>
          </nav>
        </Paper>
        <ConfirmationPanel
          workspace={workspace}
          listingId={listingId}
          locale={locale}
          saved={draft.status.server.state === 'saved'}
          saveNow={draft.saveNow}
          onLockedChange={setConfirmationLock}
          onRefused={showAllIssues}
        />
        <CollaboratorsPanel
          workspace={workspace}
          listingId={listingId}
          locale={locale}
          saved={draft.status.server.state === 'saved'}
        />
        <PrefillPanel db={workspace.db} enteredBy={workspace.session.user.displayName} />
        <Paper
          withBorder
          p="md"
          data-testid="editor-step"
          data-step={active}
          component="section"
          aria-labelledby="editor-step-title"
        >
          <Title order={3} mb="md" id="editor-step-title" tabIndex={-1}>
            {`${String(index + 1)}. ${STEP_LABELS[active][locale]}`}
          </Title>
          {active === 'basic' && <BasicForm />}
          {active === 'highlights' && <HighlightsForm mentors={mentors} />}
          {active === 'packages' && <PackagesForm today={today} />}
          {active === 'process' && <ProcessForm />}
          {active === 'requirements' && <RequirementsForm />}
          {active === 'risk' && <RiskForm now={() => Date.now()} />}
          {active === 'credentials' && (
            <CredentialsForm
              listingId={listingId}
              online={draft.online}
              upload={(file) => store.uploadFile(listingId, file)}
            />
          )}
          <PathIssues path={[active]} />
        </Paper>
        <Group justify="space-between">
          <Group>
            <Button
              variant="default"
              disabled={index === 0}
              data-testid="step-previous"
              onClick={() => {
                const previous = LISTING_STEPS[index - 1];
                if (previous !== undefined) {
                  go(previous);
                }
              }}
            >
              {t('listingEditor.previous')}
            </Button>
            <Button
              variant="default"
              disabled={index === LISTING_STEPS.length - 1}
              data-testid="step-next"
              onClick={() => {
                const next = LISTING_STEPS[index + 1];
                if (next !== undefined) {
                  go(next);
                }
              }}
            >
              {t('listingEditor.next')}
            </Button>
          </Group>
          <Group>
            <VersionsPanel workspace={workspace} listingId={listingId} locale={locale} />
            <Button
              variant="light"
              data-testid="save-now"
              onClick={() => {
                setShowAll(true);
                void draft.saveNow();
              }}
            >
              {t('listingEditor.saveNow')}
            </Button>
            {role === 'submitter' && (
              <Button
                data-testid="submit-listing"
                loading={draft.submitState.status === 'submitting'}
                disabled={draft.submitState.status === 'submitted' || draft.conflicts.length > 0}
                onClick={() => {
                  setShowAll(true);
                  void draft.submit();
                }}
              >
                {t('listingEditor.submit')}
              </Button>
            )}
          </Group>
        </Group>
        <SubmitNotice state={draft.submitState} t={t} />
      </Stack>
    </EditorContext.Provider>
  );
}

/** Who offers the listing: an assistant picks the institution (until the draft is created). */
function ProviderLine({
  providers,
  assistant,
  listingId,
}: {
  readonly providers: readonly ProviderChoice[];
  readonly assistant: boolean;
  readonly listingId: string;
}) {
  const t = useEditorT();
  const { doc, locale, update } = useEditor();
  const provider = getAt(doc, ['provider']);
  const current = isRecord(provider) && typeof provider['id'] === 'string' ? provider['id'] : null;
  if (assistant && listingId === '') {
    return (
      <Stack gap={4} mt={4}>
        <Select
          label={t('listingEditor.provider')}
          placeholder={t('listingEditor.providerPick')}
          data-testid="provider-select"
          searchable
          w={360}
          data={providers.map((p) => ({
            value: p.id,
            label: `${p.name} · ${PROVIDER_KIND_LABELS[p.kind][locale]}`,
          }))}
          value={current}
          onChange={(id) => {
            const chosen = providers.find((p) => p.id === id);
            update(
              ['provider'],
              chosen === undefined
                ? undefined
                : { kind: chosen.kind, id: chosen.id, name: chosen.name },
            );
          }}
        />
        <PathIssues path={['provider']} />
      </Stack>
    );
  }
  const name = isRecord(provider) && typeof provider['name'] === 'string' ? provider['name'] : null;
  return (
    <Stack gap={2}>
      <Text size="sm" c="dimmed" data-testid="provider-name">
        {name === null
          ? t('listingEditor.providerUnknown')
          : t('listingEditor.providerIs', { name })}
      </Text>
      <PathIssues path={['provider']} />
    </Stack>
  );
}

function SaveStatus({
  status,
  online,
  t,
}: {
  readonly status: DraftStatus;
  readonly online: boolean;
  readonly t: EditorT;
}) {
  let state: string;
  let text: string;
  let color: string;
  if (status.localSavedAt === null) {
    state = 'saving';
    text = t('listingEditor.status.saving');
    color = 'gray';
  } else if (status.server.state === 'conflict') {
    state = 'conflict';
    text = t('listingEditor.conflicts.status', { count: status.server.fields });
    color = 'orange';
  } else if (status.server.state === 'saved') {
    state = 'server';
    text = t('listingEditor.status.server');
    color = 'green';
  } else if (!online || status.server.state === 'offline') {
    state = 'offline';
    text = t('listingEditor.status.offline');
    color = 'orange';
  } else if (status.server.state === 'error') {
    state = 'error';
    text = t('listingEditor.status.error', { reason: status.server.message });
    color = 'red';
  } else {
    state = 'device';
    text = t('listingEditor.status.device');
    color = 'blue';
  }
  return (
    <Badge
      size="lg"
      variant="light"
      color={color}
      data-testid="draft-status"
      data-state={state}
      role="status"
    >
      {text}
    </Badge>
  );
}

function SubmitNotice({
  state,
  t,
}: {
  readonly state: ReturnType<typeof useDraft>['submitState'];
  readonly t: EditorT;
}) {
  if (state.status === 'submitted') {
    return (
      <Alert color="green" data-testid="submit-result" data-result="submitted">
        {t('listingEditor.submitted')}
      </Alert>
    );
  }
  if (state.status !== 'refused') {
    return null;
  }
  const message =
    state.message === 'invalid'
      ? t('listingEditor.submitInvalid')
      : state.message === 'offline'
        ? t('listingEditor.submitOffline')
        : state.message === 'unsaved'
          ? t('listingEditor.submitUnsaved')
          : state.message === 'conflicts'
            ? t('listingEditor.conflicts.submitBlocked')
            : t('listingEditor.submitFailed', { reason: state.message ?? '' });
  return (
    <Alert color="red" data-testid="submit-result" data-result="refused" role="alert">
      {message}
    </Alert>
  );
}
