import 'fake-indexeddb/auto';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetQueueStore } from '../../../../renderer/src/features/queue/queueStore';
import { makeItem, makeUser, putItems, renderQueue } from './queueHarness';

beforeEach(() => {
  window.location.hash = '#/queue';
  resetQueueStore();
});
afterEach(() => {
  resetQueueStore();
});

const days = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

describe('the search box', () => {
  it('runs the search on Enter and takes the keyboard to the first result', async () => {
    const { workspace } = await renderQueue(makeUser());
    const oxford = makeItem({ title: '牛津大学硕士申请', createdAt: days(3) });
    const boston = makeItem({ title: '美国本科 Boston', country: 'US', createdAt: days(2) });
    const oxford2 = makeItem({ title: '牛津大学本科申请', createdAt: days(1) });
    await putItems(workspace.db, oxford, boston, oxford2);
    await waitFor(() => {
      expect(screen.queryAllByTestId('queue-item')).toHaveLength(3);
    });
    const search = screen.getByLabelText('Search');
    await userEvent.click(search);
    await userEvent.keyboard('牛津{Enter}');
    await waitFor(() => {
      expect(screen.queryAllByTestId('queue-item')).toHaveLength(2);
    });
    await waitFor(() => {
      expect((document.activeElement as HTMLElement | null)?.dataset['itemId']).toBe(oxford.id);
    });
    // j moves on from there.
    await userEvent.keyboard('j');
    await waitFor(() => {
      expect((document.activeElement as HTMLElement | null)?.dataset['itemId']).toBe(oxford2.id);
    });
  });
});
