import { Group, Kbd, Modal, Stack, Table, Text } from '@mantine/core';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Keyboard shortcuts: screens register theirs while mounted (`useShortcuts`); one listener
 * dispatches key presses to the newest matching registration; `?` opens a help overlay listing
 * everything registered at that moment, so the overlay never lies about what works.
 *
 * Keys are written like `j`, `shift+?`, `mod+enter` (`mod` is ⌘ on macOS, Ctrl elsewhere),
 * `escape`, `arrowdown`. Presses in text fields are ignored unless a shortcut opts in.
 */
export interface Shortcut {
  readonly keys: string;
  /** Already translated: what it does, for the help overlay. */
  readonly description: string;
  /** Heading it is listed under in the help overlay (already translated). */
  readonly group: string;
  readonly run: (event: KeyboardEvent) => void;
  /** Also fires while typing in an input or text area (for mod+enter and escape, say). */
  readonly inInputs?: boolean;
  readonly enabled?: boolean;
}

interface Registration {
  readonly id: number;
  readonly shortcuts: readonly Shortcut[];
}

let registrations: readonly Registration[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

/** The enabled shortcuts, newest registration first: recomputed on change only, so that
 * `useSyncExternalStore` sees the same snapshot until something changes. */
let snapshot: readonly Shortcut[] = [];

function emit(): void {
  snapshot = registrations
    .flatMap((registration) => registration.shortcuts)
    .filter((shortcut) => shortcut.enabled !== false);
  for (const listener of listeners) {
    listener();
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Every shortcut registered now, newest registration first. */
export function registeredShortcuts(): readonly Shortcut[] {
  return snapshot;
}

const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent);

/**
 * The parts of a key combination: `shift+n` → `['shift', 'n']`. A literal plus is a key too:
 * `+` → `['+']`, `mod++` → `['mod', '+']`.
 */
export function splitKeys(keys: string): string[] {
  if (keys === '+') {
    return ['+'];
  }
  if (keys.endsWith('++')) {
    return [...keys.slice(0, -2).split('+'), '+'];
  }
  return keys.split('+');
}

/** Whether a keyboard event is the key combination `keys`. */
export function matches(
  keys: string,
  event: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey'>,
): boolean {
  const parts = splitKeys(keys.toLowerCase());
  const key = parts.pop() ?? '';
  const wants = new Set(parts);
  const mod = isMac() ? event.metaKey : event.ctrlKey;
  if (wants.has('mod') !== mod || wants.has('alt') !== event.altKey) {
    return false;
  }
  if (!wants.has('mod') && (isMac() ? event.ctrlKey : event.metaKey)) {
    return false;
  }
  // `?` needs shift on most layouts; do not insist on shift for punctuation given literally.
  if (
    wants.has('shift') !== event.shiftKey &&
    /^[a-z0-9]$|^(enter|arrow|escape|tab|space)/.test(key)
  ) {
    return false;
  }
  const pressed = event.key.toLowerCase();
  return pressed === key || (key === 'space' && pressed === ' ');
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) {
    return false;
  }
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Registers `shortcuts` while the calling component is mounted. Pass a fresh array when they change. */
export function useShortcuts(shortcuts: readonly Shortcut[]): void {
  const id = useRef<number | null>(null);
  id.current ??= nextId++;
  useEffect(() => {
    const own = id.current ?? 0;
    registrations = [
      { id: own, shortcuts },
      ...registrations.filter((registration) => registration.id !== own),
    ];
    emit();
    return () => {
      registrations = registrations.filter((registration) => registration.id !== own);
      emit();
    };
  }, [shortcuts]);
}

/** The one key listener (mounted once by the shell). */
export function useShortcutDispatcher(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) {
        return;
      }
      const typing = isTyping(event.target);
      for (const shortcut of registeredShortcuts()) {
        if ((!typing || shortcut.inInputs === true) && matches(shortcut.keys, event)) {
          event.preventDefault();
          shortcut.run(event);
          return;
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, []);
}

/** How a key combination is shown: ⌘/Ctrl, Shift, Enter… */
export function KeyCombo({ keys }: { readonly keys: string }) {
  const label = (part: string) => {
    switch (part) {
      case 'mod':
        return isMac() ? '⌘' : 'Ctrl';
      case 'shift':
        return 'Shift';
      case 'alt':
        return isMac() ? '⌥' : 'Alt';
      case 'enter':
        return 'Enter';
      case 'escape':
        return 'Esc';
      case 'arrowdown':
        return '↓';
      case 'arrowup':
        return '↑';
      case 'arrowleft':
        return '←';
      case 'arrowright':
        return '→';
      case 'space':
        return 'Space';
      default:
        // `j` → J, `home` → Home, `pagedown` → Pagedown
        return part.charAt(0).toUpperCase() + part.slice(1);
    }
  };
  return (
    <Group gap={4} wrap="nowrap">
      {splitKeys(keys)
        .filter((part) => !(part === 'shift' && keys.endsWith('?')))
        .map((part) => (
          <Kbd key={part}>{label(part)}</Kbd>
        ))}
    </Group>
  );
}

/** The `?` overlay listing every shortcut registered right now, grouped. */
export function ShortcutHelp() {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const all = useSyncExternalStore(subscribe, registeredShortcuts, registeredShortcuts);
  const description = t('shortcuts.open');
  const group = t('shortcuts.global');
  const help = useMemo<readonly Shortcut[]>(
    () => [
      {
        keys: 'shift+?',
        description,
        group,
        run: () => {
          setOpened((open) => !open);
        },
      },
    ],
    [description, group],
  );
  useShortcuts(help);
  const groups = new Map<string, Shortcut[]>();
  for (const shortcut of all) {
    const list = groups.get(shortcut.group) ?? [];
    if (!list.some((existing) => existing.keys === shortcut.keys)) {
      list.push(shortcut);
    }
    groups.set(shortcut.group, list);
  }
  return (
    <Modal
      opened={opened}
      onClose={() => {
        setOpened(false);
      }}
      title={t('shortcuts.title')}
      size="lg"
    >
      <Stack gap="md">
        {groups.size === 0 && <Text c="dimmed">{t('shortcuts.none')}</Text>}
        {[...groups].map(([group, shortcuts]) => (
          <Stack key={group} gap={4}>
            <Text fw={600}>{group}</Text>
            <Table>
              <Table.Tbody>
                {shortcuts.map((shortcut) => (
                  <Table.Tr key={shortcut.keys}>
                    <Table.Td w={160}>
                      <KeyCombo keys={shortcut.keys} />
                    </Table.Td>
                    <Table.Td>{shortcut.description}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        ))}
      </Stack>
    </Modal>
  );
}
