import { MantineProvider } from '@mantine/core';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { i18n as I18n } from 'i18next';
import { useMemo } from 'react';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it } from 'vitest';
import { diffListings } from '#shared/diff/index';
import type { JsonValue } from '#shared/diff/patch';
import type { Locale } from '#shared/i18n/localized';
import {
  useShortcutDispatcher,
  useShortcuts,
  type Shortcut,
} from '../../../../renderer/src/app/shortcuts';
import { theme } from '../../../../renderer/src/app/theme';
import { DiffView } from '../../../../renderer/src/features/diff/DiffView';
import { createI18n } from '../../../../renderer/src/i18n/i18n';
import validFull from '../../../fixtures/listings/valid-full.json';

type Json = Record<string, unknown>;

/** The fixture with a repriced package, the packages reordered and the introduction edited. */
function edited(): Json {
  const document = structuredClone(validFull) as Json;
  const packages = (document['packages'] as { items: Json[] }).items;
  (packages[0]!['price'] as Json)['amount'] = '31800';
  packages.push(packages.shift()!);
  const basic = document['basic'] as Json;
  basic['introduction'] = String(basic['introduction']).replace('一对一', '一对二');
  return document;
}

/** What the item page does: binds `n` too, registered after the view (so newer). */
function CompetingPage({ log }: { readonly log: string[] }) {
  const shortcuts = useMemo<readonly Shortcut[]>(
    () => [
      {
        keys: 'n',
        description: 'next field',
        group: 'page',
        run: () => {
          log.push('page n');
        },
      },
    ],
    [log],
  );
  useShortcuts(shortcuts);
  return null;
}

function Dispatcher() {
  useShortcutDispatcher();
  return null;
}

let i18n: I18n;

async function renderView(
  options: { locale?: Locale; after?: JsonValue; competing?: string[] } = {},
) {
  i18n = await createI18n(options.locale ?? 'zh-CN');
  const before = validFull as JsonValue;
  const after = options.after ?? (edited() as JsonValue);
  const { changes } = diffListings(before, after, { onDate: '2026-03-01' });
  render(
    <I18nextProvider i18n={i18n}>
      <MantineProvider theme={theme}>
        <Dispatcher />
        <DiffView
          workspace={null}
          before={before}
          after={after}
          changes={changes}
          beforeLabel="线上版本（第 2 版）"
          afterLabel="第 3 版"
        />
        {options.competing !== undefined && <CompetingPage log={options.competing} />}
      </MantineProvider>
    </I18nextProvider>,
  );
  return changes;
}

const view = () => screen.getByTestId('diff-view');
const cards = () => screen.getAllByTestId('diff-change');
const press = (key: string) => {
  act(() => {
    fireEvent.keyDown(document.body, { key });
  });
};

beforeEach(() => {
  window.localStorage.clear();
});

describe('DiffView', () => {
  it('shows the changes side by side, grouped by step, the unchanged fields collapsed', async () => {
    const changes = await renderView();
    expect(view().dataset).toMatchObject({ mode: 'side', modifiedOnly: 'false' });
    expect(cards()).toHaveLength(changes.length);
    expect(screen.getByText('修改前 · 线上版本（第 2 版）')).toBeTruthy();
    expect(screen.getByText('修改后 · 第 3 版')).toBeTruthy();

    const price = cards().find((card) => card.dataset['changeKind'] === 'price')!;
    expect(within(price).getByText('¥29,800.00')).toBeTruthy();
    expect(within(price).getByText('¥31,800.00')).toBeTruthy();
    expect(within(price).getByTestId('price-delta').textContent).toMatch(
      /折合人民币：上涨 \+¥2,000\.00（\+6\.7\d*%）/,
    );

    const move = cards().find((card) => card.dataset['changeKind'] === 'list-item-moved')!;
    expect(move.textContent).toContain('标准申请套餐（5 所院校）');
    expect(move.textContent).toContain('从第 1 位移到第 3 位');

    const text = cards().find((card) => card.dataset['pointer'] === '/basic/introduction')!;
    expect(text.querySelector('del')?.textContent).toBe('一');
    expect(text.querySelector('ins')?.textContent).toBe('二');
    expect(text.textContent).not.toContain('<p>');

    // Unchanged fields: collapsed, one click away.
    const basic = screen
      .getAllByTestId('diff-step')
      .find((step) => step.dataset['step'] === 'basic')!;
    expect(within(basic).queryByTestId('diff-unchanged-list')).toBe(null);
    await userEvent.click(within(basic).getByRole('button', { name: /显示 \d+ 项未改动/ }));
    const list = within(basic).getByTestId('diff-unchanged-list');
    expect(within(list).getByText('英国')).toBeTruthy();
  });

  it('walks the changes with n and p, even where the page binds n too', async () => {
    const log: string[] = [];
    const changes = await renderView({ competing: log });
    const position = screen.getByTestId('diff-position');
    expect(position.textContent).toBe(`共 ${String(changes.length)} 处改动`);
    press('n');
    expect(position.textContent).toBe(`第 1 / ${String(changes.length)} 处改动`);
    expect(cards()[0]?.dataset['current']).toBe('true');
    expect(document.activeElement).toBe(cards()[0]);
    press('n');
    expect(cards()[1]?.dataset['current']).toBe('true');
    press('p');
    press('p');
    expect(cards()[0]?.dataset['current']).toBe('true');
    expect(log).toEqual([]);
    // Keys typed into a text field are text.
    const input = document.createElement('input');
    document.body.append(input);
    act(() => {
      fireEvent.keyDown(input, { key: 'n' });
    });
    expect(cards()[0]?.dataset['current']).toBe('true');
    input.remove();
  });

  it('switches to inline with i and to modified-only with m, and remembers both', async () => {
    await renderView({ locale: 'en' });
    const steps = screen.getAllByTestId('diff-step').length;
    press('i');
    expect(view().dataset['mode']).toBe('inline');
    expect(screen.queryByText(/^Before · /)).toBe(null);
    const text = cards().find((card) => card.dataset['pointer'] === '/basic/introduction')!;
    // Inline: deletion and insertion in one line.
    expect(text.querySelectorAll('del, ins')).toHaveLength(2);
    press('m');
    expect(view().dataset['modifiedOnly']).toBe('true');
    expect(screen.queryAllByTestId('diff-unchanged')).toHaveLength(0);
    expect(screen.getAllByTestId('diff-step').length).toBeLessThan(steps);
    expect(window.localStorage.getItem('review-desk.diff-mode')).toBe('"inline"');
    expect(window.localStorage.getItem('review-desk.diff-modified-only')).toBe('true');
    await userEvent.click(screen.getByRole('switch', { name: 'Modified only (M)' }));
    expect(view().dataset['modifiedOnly']).toBe('false');
    await userEvent.click(screen.getByText('Side by side'));
    expect(view().dataset['mode']).toBe('side');
  });

  it('says so when the two revisions are the same', async () => {
    await renderView({ locale: 'en', after: validFull as JsonValue });
    expect(screen.getByTestId('diff-no-changes').textContent).toBe(
      'The two revisions have the same content.',
    );
    expect(screen.queryAllByTestId('diff-change')).toHaveLength(0);
    expect(screen.getByRole('button', { name: 'Next change (N)' })).toHaveProperty(
      'disabled',
      true,
    );
  });
});
