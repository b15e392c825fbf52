import 'fake-indexeddb/auto';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeUser, renderSignedIn } from '../app/harness';

beforeEach(() => {
  window.location.hash = '#/settings';
});

describe('settings', () => {
  it('shows the version and that the session is in the OS keychain', async () => {
    await renderSignedIn(makeUser('reviewer'), { locale: 'en' });
    await waitFor(() => {
      expect(screen.getByTestId('app-version').textContent).toBe('ReviewDesk · Version test');
    });
    expect(screen.getByTestId('protection-ok').textContent).toBe(
      "Your session is kept in the operating system's keychain.",
    );
    expect(screen.queryByTestId('protection-warning')).toBeNull();
  });

  it.each(['basic_text', 'unavailable'] as const)(
    'warns when protection is %s',
    async (protection) => {
      await renderSignedIn(makeUser('reviewer'), { locale: 'en', protection });
      const warning = await screen.findByTestId('protection-warning');
      expect(warning.dataset['protection']).toBe(protection);
    },
  );

  it('warns in web mode that clearing site data loses unsent decisions', async () => {
    await renderSignedIn(makeUser('reviewer'), { mode: 'web' });
    const warning = await screen.findByTestId('protection-warning');
    expect(warning.textContent).toBe(
      '此浏览器将你的登录状态和未发送的决定保存在网站数据中。清除网站数据会丢失未发送的决定——请先导出。',
    );
    expect(screen.getByLabelText<HTMLInputElement>(/审核服务器地址/).readOnly).toBe(true);
    await waitFor(() => {
      expect(screen.getByTestId('app-version').textContent).toBe(
        'ReviewDesk 审核工作台 · 版本 9.9.9',
      );
    });
  });

  it('validates a new server address and signs out after confirmation', async () => {
    const { bridge, workspace } = await renderSignedIn(makeUser('reviewer'), { locale: 'en' });
    const input = screen.getByLabelText('Review server address');
    await userEvent.clear(input);
    await userEvent.type(input, 'not a url');
    await userEvent.click(screen.getByRole('button', { name: 'Change server' }));
    expect(screen.getByText(/Enter an address starting with http/)).toBeTruthy();

    await userEvent.clear(input);
    await userEvent.type(input, 'https://review.example.cn/');
    await userEvent.click(screen.getByRole('button', { name: 'Change server' }));
    const dialog = await screen.findByRole('dialog', { name: 'Change the review server?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(workspace.closed).toBe(false);

    await userEvent.click(screen.getByRole('button', { name: 'Change server' }));
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Change and sign out',
      }),
    );
    expect(await screen.findByRole('heading', { level: 2, name: 'Sign in' })).toBeTruthy();
    expect(workspace.closed).toBe(true);
    expect((await bridge.settings.get()).serverUrl).toBe('https://review.example.cn');
    expect(screen.getByLabelText<HTMLInputElement>('Review server address').value).toBe(
      'https://review.example.cn',
    );
  });

  it('changes language and theme, and exports pending decisions', async () => {
    const { bridge, workspace, downloads } = await renderSignedIn(makeUser('reviewer'), {
      locale: 'en',
    });
    await workspace.record('approve', { itemId: crypto.randomUUID() });
    const appearance = screen.getByRole('region', { name: 'Language and appearance' });
    await userEvent.click(within(appearance).getByText('System'));
    await userEvent.click(within(appearance).getByText('Light'));
    await waitFor(async () => {
      expect((await bridge.settings.get()).theme).toBe('light');
    });
    await userEvent.click(screen.getByRole('button', { name: 'Export pending decisions' }));
    await waitFor(() => {
      expect(downloads).toHaveLength(1);
    });
    await userEvent.click(within(appearance).getByText('简体中文'));
    expect(await screen.findByRole('heading', { level: 2, name: '设置' })).toBeTruthy();
  });

  it('sets how long opened files are kept, refusing what is not 1–365 whole days', async () => {
    const { bridge } = await renderSignedIn(makeUser('reviewer'), { locale: 'en' });
    const input = await screen.findByLabelText(/Keep opened files for/);
    await waitFor(() => {
      expect((input as HTMLInputElement).value).toBe('30');
    });
    await userEvent.clear(input);
    await userEvent.type(input, '0');
    await userEvent.tab();
    expect(await screen.findByText('Enter a whole number of days from 1 to 365')).toBeTruthy();
    expect((await bridge.settings.get()).fileRetentionDays).toBe(30);

    await userEvent.clear(input);
    await userEvent.type(input, '14');
    await userEvent.tab();
    expect(await screen.findByRole('status')).toBeTruthy();
    expect((await bridge.settings.get()).fileRetentionDays).toBe(14);
  });
});
