import { describe, expect, it } from 'vitest';
import {
  createNotifier,
  type NotificationConstructorLike,
} from '../../../electron/main/notifications';

describe('notifications', () => {
  function fakeNotification(supported: boolean) {
    const shown: { title: string; body: string }[] = [];
    const Fake = class {
      constructor(readonly options: { title: string; body: string }) {}
      static isSupported() {
        return supported;
      }
      show() {
        shown.push(this.options);
      }
    } satisfies NotificationConstructorLike;
    return { Fake, shown };
  }

  it('shows a notification where supported', async () => {
    const { Fake, shown } = fakeNotification(true);
    expect(await createNotifier(Fake)({ title: '同步完成', body: '3 条决定已提交' })).toBeNull();
    expect(shown).toEqual([{ title: '同步完成', body: '3 条决定已提交' }]);
  });

  it('does nothing where notifications are not supported', async () => {
    const { Fake, shown } = fakeNotification(false);
    expect(await createNotifier(Fake)({ title: 'x', body: '' })).toBeNull();
    expect(shown).toEqual([]);
  });
});
