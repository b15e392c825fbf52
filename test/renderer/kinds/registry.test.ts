import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from '../../../renderer/src/app/routing';
import { availableActions, sortKinds } from '../../../renderer/src/features/queue/kinds';
import {
  findKindModule,
  registerKind,
  registerScreen,
  screensFor,
} from '../../../renderer/src/kinds/registry';
import type { ItemView } from '#shared/sync/view';

// The setup file registered the workstation's kinds and screens, as `main.tsx` does.

const viewOf = (kind: string, heldByMe = false): ItemView =>
  ({
    item: { kind, state: 'pending' },
    decision: { kind: 'none' },
    heldByMe,
    heldByOther: false,
  }) as unknown as ItemView;

describe('review kind registry', () => {
  it('knows every kind the server has, with the roles that review it', () => {
    expect(findKindModule('listing_revision')?.reviewerRoles).toEqual(['reviewer', 'ops_manager']);
    expect(findKindModule('homework')?.reviewerRoles).toEqual(['ta']);
    expect(findKindModule('homework_mentor')?.reviewerRoles).toEqual(['mentor']);
    expect(findKindModule('refund')?.reviewerRoles).toEqual(['ops_manager']);
    expect(findKindModule('no_such_kind')).toBeUndefined();
  });

  it("derives a row's actions from the kind module", () => {
    expect(availableActions(viewOf('listing_revision'), 'reviewer')).toEqual([
      'claim',
      'approve',
      'reject',
    ]);
    expect(availableActions(viewOf('homework', true), 'ta')).toEqual(['decide', 'release']);
    expect(availableActions(viewOf('homework'), 'reviewer')).toEqual([]);
    expect(availableActions(viewOf('no_such_kind'), 'ops_manager')).toEqual([]);
  });

  it('orders kind tabs by the modules, unknown kinds last', () => {
    expect(sortKinds(['zzz', 'homework_mentor', 'refund', 'listing_revision', 'homework'])).toEqual(
      ['listing_revision', 'refund', 'homework', 'homework_mentor', 'zzz'],
    );
  });

  it('refuses a kind or screen registered twice', () => {
    const listing = findKindModule('listing_revision');
    expect(listing).toBeDefined();
    if (listing !== undefined) {
      expect(() => {
        registerKind(listing);
      }).toThrow(/registered twice/);
    }
    expect(() => {
      registerScreen({
        id: 'homework',
        navLabel: () => 'again',
        roles: [],
        order: 0,
        Screen: () => null,
      });
    }).toThrow(/registered twice/);
  });

  it('lists the screens a role may open', () => {
    expect(screensFor('ta').map((screen) => screen.id)).toContain('homework');
    expect(screensFor('reviewer').map((screen) => screen.id)).not.toContain('homework');
  });

  it('routes registered screens with their subpath and query, and nothing else', () => {
    const route = parseRoute('#/homework/records?student=S001');
    expect(route).toEqual({
      name: 'screen',
      screenId: 'homework',
      subpath: '/records',
      query: 'student=S001',
    });
    expect(routeHref(route)).toBe('#/homework/records?student=S001');
    expect(parseRoute('#/homework')).toEqual({
      name: 'screen',
      screenId: 'homework',
      subpath: '',
      query: '',
    });
    // An address no module registered falls back to the queue, as before.
    expect(parseRoute('#/nowhere/else')).toEqual({ name: 'queue', itemId: null });
  });
});
