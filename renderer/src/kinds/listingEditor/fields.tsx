import {
  Checkbox,
  MultiSelect,
  NumberInput,
  Select,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { createContext, useContext, type ReactNode } from 'react';
import { countCharacters } from '#shared/domain/listing/richText';
import type { Locale, LocalizedText } from '#shared/i18n/localized';
import type { FieldPath, ValidationIssue } from '#shared/domain/validationIssue';
import { toJsonPointer } from '#shared/domain/validationIssue';
import { fieldLabel } from '#shared/domain/listing/fieldLabels';
import { getAt } from './draftDocument';

/** What every field of the editor reads: the document, how to change it, its shown issues. */
export interface EditorContextValue {
  readonly doc: unknown;
  readonly locale: Locale;
  readonly update: (path: FieldPath, value: unknown) => void;
  /** The issues shown at exactly this path (see `EditorScreen` for when they show). */
  readonly issuesAt: (path: FieldPath) => readonly ValidationIssue[];
  /** Marks a field as visited: its issues show from then on. */
  readonly touch: (path: FieldPath) => void;
  readonly readOnly: boolean;
}

export const EditorContext = createContext<EditorContextValue | null>(null);

export function useEditor(): EditorContextValue {
  const value = useContext(EditorContext);
  if (value === null) {
    throw new Error('an editor field outside the listing editor');
  }
  return value;
}

export const fieldDomId = (path: FieldPath) =>
  `editor-field${toJsonPointer(path).replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** The messages of issues, in the editor's language: errors first, then advice. */
export function IssueMessages({
  issues,
  locale,
}: {
  readonly issues: readonly ValidationIssue[];
  readonly locale: Locale;
}): ReactNode {
  if (issues.length === 0) {
    return null;
  }
  const sorted = [...issues].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1,
  );
  return (
    <>
      {sorted.map((issue, index) => (
        <span
          key={`${issue.code}-${String(index)}`}
          data-testid="field-issue"
          data-code={issue.code}
          data-severity={issue.severity}
          style={{ display: 'block' }}
        >
          {issue.message[locale]}
        </span>
      ))}
    </>
  );
}

/** The label of a field without its parents (inside a package card, "名称" not "第 1 个套餐 › 名称"). */
export function shortLabel(path: FieldPath): LocalizedText {
  const full = fieldLabel(path);
  const last = (text: string) => text.split(' › ').at(-1) ?? text;
  return { 'zh-CN': last(full['zh-CN']), en: last(full.en) };
}

/** Props of the Mantine input at `path`: label, error (or warning), ids for tests. */
export function useFieldProps(path: FieldPath, label?: LocalizedText) {
  const editor = useEditor();
  const issues = editor.issuesAt(path);
  const errors = issues.filter((issue) => issue.severity === 'error');
  const warnings = issues.filter((issue) => issue.severity === 'warning');
  const pointer = toJsonPointer(path);
  return {
    editor,
    value: getAt(editor.doc, path),
    label: (label ?? shortLabel(path))[editor.locale],
    error: errors.length > 0 ? <IssueMessages issues={errors} locale={editor.locale} /> : undefined,
    warning:
      warnings.length > 0 ? <IssueMessages issues={warnings} locale={editor.locale} /> : undefined,
    input: {
      id: fieldDomId(path),
      'data-field': pointer,
      readOnly: editor.readOnly,
      onBlur: () => {
        editor.touch(path);
      },
    },
  };
}

function Warning({ children }: { readonly children: ReactNode }) {
  return children === undefined ? null : (
    <Text size="xs" c="orange.8" mt={2} role="status">
      {children}
    </Text>
  );
}

function counter(
  value: unknown,
  max: number | undefined,
  count: (text: string) => number,
): string | undefined {
  if (max === undefined) {
    return undefined;
  }
  const text = typeof value === 'string' ? value.trim() : '';
  return `${String(count(text))} / ${String(max)}`;
}

/** A plain text field; `max` shows a counter of user-perceived characters (never cuts input). */
export function TextField({
  path,
  max,
  label,
  required,
  multiline,
  description,
  count = countCharacters,
}: {
  readonly path: FieldPath;
  readonly max?: number;
  readonly label?: LocalizedText;
  readonly required?: boolean;
  readonly multiline?: boolean;
  readonly description?: ReactNode;
  readonly count?: (text: string) => number;
}) {
  const field = useFieldProps(path, label);
  const value = typeof field.value === 'string' ? field.value : '';
  const common = {
    label: field.label,
    required: required === true,
    value,
    error: field.error,
    description: (
      <>
        {description}
        {description !== undefined && max !== undefined ? ' · ' : null}
        {counter(value, max, count)}
      </>
    ),
    ...field.input,
  };
  return (
    <div>
      {multiline === true ? (
        <Textarea
          {...common}
          autosize
          minRows={3}
          onChange={(event) => {
            field.editor.update(path, event.currentTarget.value);
          }}
        />
      ) : (
        <TextInput
          {...common}
          onChange={(event) => {
            field.editor.update(path, event.currentTarget.value);
          }}
        />
      )}
      <Warning>{field.warning}</Warning>
    </div>
  );
}

/** A whole number; cleared, it is removed from the document (and so reported as missing). */
export function IntegerField({
  path,
  min,
  max,
  label,
  required,
}: {
  readonly path: FieldPath;
  readonly min?: number;
  readonly max?: number;
  readonly label?: LocalizedText;
  readonly required?: boolean;
}) {
  const field = useFieldProps(path, label);
  return (
    <div>
      <NumberInput
        label={field.label}
        required={required === true}
        value={typeof field.value === 'number' ? field.value : ''}
        allowDecimal={false}
        allowNegative={false}
        {...(min === undefined ? {} : { min })}
        {...(max === undefined ? {} : { max })}
        clampBehavior="none"
        error={field.error}
        {...field.input}
        onChange={(value) => {
          field.editor.update(path, typeof value === 'number' ? value : undefined);
        }}
      />
      <Warning>{field.warning}</Warning>
    </div>
  );
}

export interface Option {
  readonly value: string;
  readonly label: string;
}

/** One of a fixed set of values. */
export function SelectField({
  path,
  options,
  label,
  required,
  searchable,
  allowDeselect,
}: {
  readonly path: FieldPath;
  readonly options: readonly Option[];
  readonly label?: LocalizedText;
  readonly required?: boolean;
  readonly searchable?: boolean;
  readonly allowDeselect?: boolean;
}) {
  const field = useFieldProps(path, label);
  return (
    <div>
      <Select
        label={field.label}
        required={required === true}
        data={options.map((option) => ({ ...option }))}
        value={typeof field.value === 'string' ? field.value : null}
        searchable={searchable === true}
        allowDeselect={allowDeselect === true}
        error={field.error}
        {...field.input}
        onChange={(value) => {
          field.editor.update(path, value ?? undefined);
        }}
      />
      <Warning>{field.warning}</Warning>
    </div>
  );
}

/** Several of a fixed set of values, kept in the order of `options`. */
export function MultiSelectField({
  path,
  options,
  label,
  required,
  readValue,
  onSelect,
  placeholder,
}: {
  readonly path: FieldPath;
  readonly options: readonly Option[];
  readonly label?: LocalizedText;
  readonly required?: boolean;
  /** How the document's value reads as the selected values (a list of strings by default). */
  readonly readValue?: (value: unknown) => string[];
  /** How a selection is written (the sorted list itself by default). */
  readonly onSelect?: (values: string[]) => void;
  readonly placeholder?: string | undefined;
}) {
  const field = useFieldProps(path, label);
  const value =
    readValue?.(field.value) ??
    (Array.isArray(field.value)
      ? field.value.filter((v): v is string => typeof v === 'string')
      : []);
  return (
    <div>
      <MultiSelect
        label={field.label}
        required={required === true}
        data={options.map((option) => ({ ...option }))}
        value={value}
        searchable
        error={field.error}
        {...(placeholder === undefined ? {} : { placeholder })}
        {...field.input}
        onChange={(next) => {
          const order = options.map((option) => option.value);
          const sorted = [...next].sort((a, b) => order.indexOf(a) - order.indexOf(b));
          if (onSelect === undefined) {
            field.editor.update(path, sorted);
          } else {
            onSelect(sorted);
          }
        }}
      />
      <Warning>{field.warning}</Warning>
    </div>
  );
}

/** A yes/no value. */
export function CheckboxField({
  path,
  label,
  onChecked,
}: {
  readonly path: FieldPath;
  readonly label: string;
  /** Extra changes when ticked or unticked (the risk confirmation's timestamp). */
  readonly onChecked?: (checked: boolean) => void;
}) {
  const field = useFieldProps(path);
  return (
    <Checkbox
      label={label}
      checked={field.value === true}
      error={field.error}
      {...field.input}
      disabled={field.editor.readOnly}
      onChange={(event) => {
        const checked = event.currentTarget.checked;
        field.editor.update(path, checked);
        onChecked?.(checked);
      }}
    />
  );
}

/** Issues at a path no input shows (a list's own "needs at least one"), as a block. */
export function PathIssues({ path }: { readonly path: FieldPath }) {
  const editor = useEditor();
  const issues = editor.issuesAt(path);
  if (issues.length === 0) {
    return null;
  }
  return (
    <Text
      size="sm"
      c={issues.some((issue) => issue.severity === 'error') ? 'red.8' : 'orange.8'}
      role="alert"
      data-field={toJsonPointer(path)}
    >
      <IssueMessages issues={issues} locale={editor.locale} />
    </Text>
  );
}
