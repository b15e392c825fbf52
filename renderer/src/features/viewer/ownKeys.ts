import { useEffect, useRef } from 'react';
import { matches, useShortcuts, type Shortcut } from '../../app/shortcuts';

const isTyping = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

const modalOpen = (): boolean =>
  document.querySelector('[role="dialog"][aria-modal="true"]') !== null;

/**
 * `matches`, and the key `+` itself (which `matches` reads as a combination of two empty keys).
 */
function hits(keys: string, event: KeyboardEvent): boolean {
  if (keys === '+') {
    return event.key === '+' && !event.ctrlKey && !event.metaKey && !event.altKey;
  }
  return matches(keys, event);
}

/**
 * Shortcuts of a view that owns its keys while it is on screen: the changes view's `n`/`p`/`i`/`m`,
 * the viewers' `r`/`+`/`-`/`0`/page keys. They are registered as usual (so the `?` overlay lists
 * them) and also handled first, before the page around them sees the key: the item page binds
 * `n` (next field), `m` (comment) and `r` (reject), and which registration is newest changes
 * whenever the page re-renders, so without this a key could do something else than it says.
 * Keys typed in a text field and keys pressed while a modal dialog is open are left alone.
 */
export function useOwnedShortcuts(shortcuts: readonly Shortcut[]): void {
  useShortcuts(shortcuts);
  const latest = useRef(shortcuts);
  useEffect(() => {
    latest.current = shortcuts;
  }, [shortcuts]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing || isTyping(event.target) || modalOpen()) {
        return;
      }
      for (const shortcut of latest.current) {
        if (shortcut.enabled !== false && hits(shortcut.keys, event)) {
          event.preventDefault();
          shortcut.run(event);
          return;
        }
      }
    };
    // Capture phase on window: before the app's one shortcut listener (bubble phase on window).
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
    };
  }, []);
}
