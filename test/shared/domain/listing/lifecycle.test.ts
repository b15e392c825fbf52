import { describe, expect, it } from 'vitest';
import {
  LISTING_ACTION_LABELS,
  LISTING_ACTIONS,
  LISTING_RULES,
  LISTING_STATE_LABELS,
  LISTING_STATES,
  allowedActions,
  can,
  isListingAction,
  isListingState,
  nextState,
  transition,
  type ListingAction,
  type ListingState,
} from '#shared/domain/listing/lifecycle';
import { ROLES, type Role } from '#shared/domain/roles';

/*
 * The expected permissions, written out by hand from domain.md and the seed's 第 6 节, and kept
 * deliberately independent of the module's own table: if someone edits LISTING_RULES, this file
 * has to be edited too, on purpose.
 */
const ALLOWED: Readonly<Record<Role, readonly string[]>> = {
  submitter: [
    // Sees their own listing in every state (status tracking), in_review included.
    'view@draft',
    'view@pending',
    'view@in_review',
    'view@rejected',
    'view@live',
    'view@offline',
    'edit@draft',
    'edit@rejected',
    'delete@draft',
    'submit@draft',
    'submit@rejected',
    'withdraw@pending',
    'start_update@live',
    'take_offline@live',
    'request_relisting@offline',
  ],
  collaborator: ['view@draft', 'edit@draft', 'view@live'],
  assistant: ['view@draft', 'edit@draft', 'view@live'],
  reviewer: [
    'view@draft',
    'view@pending',
    'view@in_review',
    'view@rejected',
    'view@live',
    'view@offline',
    'claim@pending',
    'release@in_review',
    'approve@in_review',
    'reject@in_review',
    'comment@in_review',
    'take_offline@live',
  ],
  ops_manager: [
    'view@draft',
    'view@pending',
    'view@in_review',
    'view@rejected',
    'view@live',
    'view@offline',
    'claim@pending',
    'release@in_review',
    'approve@in_review',
    'reject@in_review',
    'comment@in_review',
    'take_offline@live',
    'force_takedown@live',
    'assign@pending',
    'assign@in_review',
  ],
  ta: ['view@live'],
  mentor: ['view@live'],
};

/** Where each action leads from each state it applies in; a missing state means "not applicable". */
const MOVES: Readonly<Record<ListingAction, Partial<Record<ListingState, ListingState>>>> = {
  view: {
    draft: 'draft',
    pending: 'pending',
    in_review: 'in_review',
    rejected: 'rejected',
    live: 'live',
    offline: 'offline',
  },
  edit: { draft: 'draft', rejected: 'rejected' },
  delete: { draft: 'draft' },
  submit: { draft: 'pending', rejected: 'pending' },
  withdraw: { pending: 'draft' },
  claim: { pending: 'in_review' },
  release: { in_review: 'pending' },
  approve: { in_review: 'live' },
  reject: { in_review: 'rejected' },
  comment: { in_review: 'in_review' },
  assign: { pending: 'in_review', in_review: 'in_review' },
  start_update: { live: 'live' },
  take_offline: { live: 'offline' },
  force_takedown: { live: 'offline' },
  request_relisting: { offline: 'pending' },
};

describe('the expected table itself', () => {
  it('names only real actions and states (guards against typos in this file)', () => {
    for (const role of ROLES) {
      for (const entry of ALLOWED[role]) {
        const [action, state, extra] = entry.split('@');
        expect(extra, entry).toBeUndefined();
        expect(isListingAction(action), entry).toBe(true);
        expect(isListingState(state), entry).toBe(true);
      }
      expect(new Set(ALLOWED[role]).size, role).toBe(ALLOWED[role].length);
    }
  });
});

describe('can(): every role × action × state', () => {
  const cases: [string, Role, ListingAction, ListingState, boolean][] = [];
  for (const role of ROLES) {
    for (const action of LISTING_ACTIONS) {
      for (const state of LISTING_STATES) {
        const allowed = ALLOWED[role].includes(`${action}@${state}`);
        cases.push([
          `${role} ${allowed ? 'MAY' : 'may not'} ${action} a ${state} listing`,
          role,
          action,
          state,
          allowed,
        ]);
      }
    }
  }

  it('covers 7 roles × 15 actions × 6 states', () => {
    expect(cases).toHaveLength(630);
  });

  it.each(cases)('%s', (_name, role, action, state, allowed) => {
    expect(can(role, action, state)).toBe(allowed);
  });
});

describe('nextState(): every action × state', () => {
  const cases: [string, ListingAction, ListingState, ListingState | null][] = [];
  for (const action of LISTING_ACTIONS) {
    for (const state of LISTING_STATES) {
      const to = MOVES[action][state] ?? null;
      cases.push([`${action} on ${state} → ${to ?? 'not applicable'}`, action, state, to]);
    }
  }

  it('covers 15 actions × 6 states', () => {
    expect(cases).toHaveLength(90);
  });

  it.each(cases)('%s', (_name, action, state, to) => {
    expect(nextState(state, action)).toBe(to);
  });

  it('never lets a role act where the action does not apply', () => {
    for (const role of ROLES) {
      for (const action of LISTING_ACTIONS) {
        for (const state of LISTING_STATES) {
          if (can(role, action, state)) {
            expect(nextState(state, action), `${role} ${action}@${state}`).not.toBeNull();
          }
        }
      }
    }
  });
});

describe('allowedActions()', () => {
  it.each(ROLES.flatMap((role) => LISTING_STATES.map((state) => [role, state] as const)))(
    '%s on %s lists exactly the allowed actions, in table order',
    (role, state) => {
      const expected = LISTING_ACTIONS.filter((action) =>
        ALLOWED[role].includes(`${action}@${state}`),
      );
      expect(allowedActions(role, state)).toEqual(expected);
    },
  );

  it('gives TA and mentor nothing but viewing live listings', () => {
    expect(allowedActions('ta', 'live')).toEqual(['view']);
    expect(allowedActions('mentor', 'draft')).toEqual([]);
  });
});

describe('transition()', () => {
  it('returns the target state when allowed', () => {
    expect(transition('submitter', 'submit', 'draft')).toEqual({ ok: true, to: 'pending' });
    expect(transition('submitter', 'submit', 'rejected')).toEqual({ ok: true, to: 'pending' });
    expect(transition('reviewer', 'claim', 'pending')).toEqual({ ok: true, to: 'in_review' });
    expect(transition('ops_manager', 'force_takedown', 'live')).toEqual({
      ok: true,
      to: 'offline',
    });
  });

  it('returns the same state for actions that do not move the listing', () => {
    expect(transition('submitter', 'start_update', 'live')).toEqual({ ok: true, to: 'live' });
    expect(transition('reviewer', 'comment', 'in_review')).toEqual({ ok: true, to: 'in_review' });
  });

  it('refuses a role without the permission as forbidden, with a message in both languages', () => {
    const result = transition('collaborator', 'submit', 'draft');
    expect(result.ok).toBe(false);
    if (result.ok) {
      return;
    }
    expect(result.reason).toBe('forbidden');
    expect(result.message['zh-CN']).toContain('协作人');
    expect(result.message['zh-CN']).toContain('提交审核');
    expect(result.message.en).toContain('Collaborator');
    expect(result.message.en).toContain('Submit for review');
  });

  it('refuses the reviewer a force takedown (ops manager only)', () => {
    expect(transition('reviewer', 'force_takedown', 'live')).toMatchObject({
      ok: false,
      reason: 'forbidden',
    });
  });

  it('reports an action that does not apply in the state as not_applicable, even for a role that could never take it', () => {
    expect(transition('reviewer', 'approve', 'draft')).toMatchObject({
      ok: false,
      reason: 'not_applicable',
    });
    const result = transition('ta', 'approve', 'draft');
    expect(result).toMatchObject({ ok: false, reason: 'not_applicable' });
    if (!result.ok) {
      expect(result.message['zh-CN']).toContain('草稿');
      expect(result.message.en).toContain('Draft');
    }
  });

  it('agrees with can() and nextState() everywhere', () => {
    for (const role of ROLES) {
      for (const action of LISTING_ACTIONS) {
        for (const state of LISTING_STATES) {
          const result = transition(role, action, state);
          const to = nextState(state, action);
          if (to === null) {
            expect(result).toMatchObject({ ok: false, reason: 'not_applicable' });
          } else if (can(role, action, state)) {
            expect(result).toEqual({ ok: true, to });
          } else {
            expect(result).toMatchObject({ ok: false, reason: 'forbidden' });
          }
        }
      }
    }
  });
});

describe('labels and guards', () => {
  it('labels every state and action in both languages', () => {
    for (const state of LISTING_STATES) {
      expect(LISTING_STATE_LABELS[state]['zh-CN']).not.toBe('');
      expect(LISTING_STATE_LABELS[state].en).not.toBe('');
    }
    for (const action of LISTING_ACTIONS) {
      expect(LISTING_ACTION_LABELS[action]['zh-CN']).not.toBe('');
      expect(LISTING_ACTION_LABELS[action].en).not.toBe('');
    }
    expect(LISTING_STATE_LABELS.pending['zh-CN']).toBe('待审核');
    expect(LISTING_STATE_LABELS.in_review['zh-CN']).toBe('审核中');
  });

  it('has a rule table entry for every action', () => {
    expect(Object.keys(LISTING_RULES).sort()).toEqual([...LISTING_ACTIONS].sort());
  });

  it('recognises states and actions only', () => {
    expect(isListingState('live')).toBe(true);
    expect(isListingState('archived')).toBe(false);
    expect(isListingAction('assign')).toBe(true);
    expect(isListingAction(42)).toBe(false);
  });
});
