import { useEffect, useMemo } from 'react';

/**
 * `blob:` URLs for blobs on screen, shared by every component showing the same blob and revoked
 * a moment after the last one stops (not at once: React's strict mode unmounts and remounts).
 */
interface Entry {
  readonly url: string;
  users: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const entries = new WeakMap<Blob, Entry>();

function entryFor(blob: Blob): Entry {
  let entry = entries.get(blob);
  if (entry === undefined) {
    entry = { url: URL.createObjectURL(blob), users: 0, timer: undefined };
    entries.set(blob, entry);
  }
  return entry;
}

const canMakeUrls = () => typeof URL.createObjectURL === 'function';

/** A `blob:` URL for a blob while the component shows it; null without a blob. */
export function useObjectUrl(blob: Blob | null): string | null {
  const url = useMemo(() => (blob === null || !canMakeUrls() ? null : entryFor(blob).url), [blob]);
  useEffect(() => {
    if (blob === null || url === null) {
      return;
    }
    const entry = entryFor(blob);
    entry.users += 1;
    clearTimeout(entry.timer);
    return () => {
      entry.users -= 1;
      if (entry.users === 0) {
        entry.timer = setTimeout(() => {
          if (entry.users === 0 && entries.get(blob) === entry) {
            entries.delete(blob);
            URL.revokeObjectURL(entry.url);
          }
        }, 2000);
      }
    };
  }, [blob, url]);
  return url;
}
