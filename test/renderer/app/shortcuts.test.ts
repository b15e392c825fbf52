import { describe, expect, it } from 'vitest';
import { matches, splitKeys } from '../../../renderer/src/app/shortcuts';

const press = (key: string, modifiers: Partial<Record<'shiftKey' | 'ctrlKey', boolean>> = {}) => ({
  key,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...modifiers,
});

describe('key combinations', () => {
  it('splits modifiers from the key, a literal plus included', () => {
    expect(splitKeys('shift+n')).toEqual(['shift', 'n']);
    expect(splitKeys('+')).toEqual(['+']);
    expect(splitKeys('mod++')).toEqual(['mod', '+']);
    expect(splitKeys('j')).toEqual(['j']);
  });

  it('matches a plus typed with or without shift, and nothing else', () => {
    expect(matches('+', press('+', { shiftKey: true }))).toBe(true);
    expect(matches('+', press('+'))).toBe(true);
    expect(matches('+', press('='))).toBe(false);
    expect(matches('mod++', press('+', { ctrlKey: true }))).toBe(true);
    expect(matches('mod++', press('+'))).toBe(false);
  });

  it('insists on shift for letters', () => {
    expect(matches('shift+n', press('N', { shiftKey: true }))).toBe(true);
    expect(matches('shift+n', press('n'))).toBe(false);
    expect(matches('n', press('N', { shiftKey: true }))).toBe(false);
  });
});
