import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { LOCALE_STORAGE_KEY, Root } from '../../../renderer/src/app/Root';
import { createI18n } from '../../../renderer/src/i18n/i18n';

function memoryStorage() {
  const values = new Map<string, string>();
  return {
    values,
    setItem: (key: string, value: string) => {
      values.set(key, value);
    },
  };
}

describe('Root', () => {
  it('renders in zh-CN when started in zh-CN', async () => {
    const i18n = await createI18n('zh-CN');
    render(<Root i18n={i18n} storage={memoryStorage()} />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('ReviewDesk 审核工作台');
    expect(screen.getByText('工作台已就绪')).toBeTruthy();
  });

  it('switches to English and remembers the choice', async () => {
    const i18n = await createI18n('zh-CN');
    const storage = memoryStorage();
    render(<Root i18n={i18n} storage={storage} />);

    await userEvent.click(screen.getByText('English'));

    expect(await screen.findByText('The workstation is ready')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('ReviewDesk');
    expect(storage.values.get(LOCALE_STORAGE_KEY)).toBe('en');
    expect(document.documentElement.lang).toBe('en');
  });
});
