import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import type { ReviewDeskDb } from '../../db/database';
import { cacheBlob, cachedBlob } from '../../db/storage';
import type { FetchLike } from '../../sync/transport';
import type { Workspace } from '../../workspace/workspace';
import { loadRevisionFiles } from './files';

/**
 * Credential file bytes for the viewer, offline first: the local file cache (`db.blobs`, LRU,
 * 300 MB) is read first; otherwise the file is downloaded from `GET /api/v1/files/{id}` with the
 * session's token (refreshed once on a 401), checked against its SHA-256, cached, and handed
 * over. An interrupted download resumes with a `Range` request guarded by `If-Range` (the
 * server's ETag is the file's hash), so a flaky connection does not restart a 40 MB scan.
 *
 * Several viewers (and the queue's prefetcher) asking for the same file share one download.
 */

/** What identifies a file to fetch; `sha256` (when known) is checked after download. */
export interface FileRef {
  readonly id: string;
  readonly sha256?: string | null;
  readonly mimeType?: string | null;
}

/** Why a file's bytes could not be had. */
export type FileProblem =
  /** Not on this device, and the server cannot be reached. */
  | { readonly code: 'offline'; readonly detail: string }
  /** The session can no longer be refreshed: sign in again. */
  | { readonly code: 'signed_out' }
  | { readonly code: 'forbidden' }
  | { readonly code: 'not_found' }
  | { readonly code: 'http'; readonly status: number; readonly detail: string }
  /** The bytes received do not have the file's SHA-256 (damaged in transit, or truncated). */
  | { readonly code: 'integrity'; readonly expected: string; readonly actual: string };

export class FileDownloadError extends Error {
  override readonly name = 'FileDownloadError';
  constructor(readonly problem: FileProblem) {
    super(problem.code);
  }
}

export type FileBlobState =
  | { readonly status: 'idle' }
  | { readonly status: 'loading'; readonly loaded: number; readonly total: number | null }
  | { readonly status: 'ready'; readonly blob: Blob; readonly fromCache: boolean }
  | { readonly status: 'error'; readonly problem: FileProblem };

export interface FileLoadOptions {
  /** Defaults to the window's fetch. */
  readonly fetch?: FetchLike;
  readonly onProgress?: (loaded: number, total: number | null) => void;
  readonly now?: () => number;
}

/** The file cache key of a credential file (files never change: the id names the bytes). */
export const fileCacheKey = (fileId: string) => `file:${fileId}`;

const MAX_RESUMES = 3;

const defaultFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

async function serverMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') {
      return body.error.message;
    }
  } catch {
    // Not JSON: the status says enough.
  }
  return text.slice(0, 200);
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The file's SHA-256 as lower-case hex, or null where Web Crypto is unavailable. */
async function sha256Hex(blob: Blob): Promise<string | null> {
  // Web Crypto exists only in secure contexts (the app's own origin, localhost, https).
  const webCrypto = globalThis.crypto as Crypto | undefined;
  const subtle: SubtleCrypto | undefined = webCrypto?.subtle;
  if (subtle === undefined) {
    return null;
  }
  const digest = await subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Downloads a file's bytes (see the module comment); throws {@link FileDownloadError}. */
export async function downloadFile(
  workspace: Pick<Workspace, 'session'>,
  file: FileRef,
  options: FileLoadOptions = {},
): Promise<Blob> {
  const fetch = options.fetch ?? defaultFetch;
  const { session } = workspace;
  const url = `${session.serverUrl}/api/v1/files/${encodeURIComponent(file.id)}`;
  const chunks: Uint8Array[] = [];
  let received = 0;
  let total: number | null = null;
  let etag: string | null = null;
  let type = file.mimeType ?? '';
  let refreshed = false;

  for (let attempt = 0; ; attempt += 1) {
    const headers: Record<string, string> = {};
    const token = session.accessToken();
    if (token !== null) {
      headers['authorization'] = `Bearer ${token}`;
    }
    if (received > 0 && etag !== null) {
      headers['range'] = `bytes=${String(received)}-`;
      headers['if-range'] = etag;
    }
    let response: Response;
    try {
      response = await fetch(url, { headers });
    } catch (error) {
      if (received > 0 && attempt < MAX_RESUMES) {
        continue;
      }
      throw new FileDownloadError({ code: 'offline', detail: errorText(error) });
    }
    if (response.status === 401 && !refreshed) {
      refreshed = true;
      let renewed: boolean;
      try {
        renewed = await session.refresh();
      } catch (error) {
        throw new FileDownloadError({ code: 'offline', detail: errorText(error) });
      }
      if (!renewed) {
        throw new FileDownloadError({ code: 'signed_out' });
      }
      attempt -= 1;
      continue;
    }
    if (response.status === 401) {
      throw new FileDownloadError({ code: 'signed_out' });
    }
    if (response.status === 403) {
      throw new FileDownloadError({ code: 'forbidden' });
    }
    if (response.status === 404) {
      throw new FileDownloadError({ code: 'not_found' });
    }
    if (response.status !== 200 && response.status !== 206) {
      throw new FileDownloadError({
        code: 'http',
        status: response.status,
        detail: await serverMessage(response),
      });
    }
    if (response.status === 200) {
      // The whole file (first request, or the server ignored the range): start over.
      chunks.length = 0;
      received = 0;
      const length = Number(response.headers.get('content-length'));
      total = Number.isFinite(length) && length > 0 ? length : null;
    } else {
      const range = /^bytes (\d+)-\d+\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
      if (range === null || Number(range[1]) !== received) {
        chunks.length = 0;
        received = 0;
        etag = null;
        continue;
      }
      total = Number(range[2]);
    }
    etag = response.headers.get('etag') ?? etag;
    const sent = response.headers.get('content-type')?.split(';')[0]?.trim();
    type = sent === undefined || sent === '' ? type : sent;
    options.onProgress?.(received, total);
    const reader = response.body?.getReader();
    if (reader === undefined) {
      const blob = await response.blob();
      chunks.push(new Uint8Array(await blob.arrayBuffer()));
      received += blob.size;
      break;
    }
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          break;
        }
        chunks.push(value);
        received += value.byteLength;
        options.onProgress?.(received, total);
      }
      break;
    } catch (error) {
      if (attempt >= MAX_RESUMES) {
        throw new FileDownloadError({ code: 'offline', detail: errorText(error) });
      }
      // Keep what arrived; the next request asks for the rest.
    }
  }
  const blob = new Blob(chunks as BlobPart[], { type });
  const expected = file.sha256 ?? null;
  if (expected !== null && expected !== '') {
    const actual = await sha256Hex(blob);
    if (actual !== null && actual !== expected) {
      throw new FileDownloadError({ code: 'integrity', expected, actual });
    }
  }
  return blob;
}

interface Download {
  readonly promise: Promise<Blob>;
  loaded: number;
  total: number | null;
  readonly listeners: Set<(loaded: number, total: number | null) => void>;
}

/** Downloads under way, by database and cache key: one per file however many ask. */
const downloads = new WeakMap<ReviewDeskDb, Map<string, Download>>();

function sharedDownload(
  workspace: Pick<Workspace, 'session' | 'db'>,
  file: FileRef,
  options: FileLoadOptions,
): Download {
  let perDb = downloads.get(workspace.db);
  if (perDb === undefined) {
    perDb = new Map();
    downloads.set(workspace.db, perDb);
  }
  const key = fileCacheKey(file.id);
  const running = perDb.get(key);
  if (running !== undefined) {
    return running;
  }
  const listeners = new Set<(loaded: number, total: number | null) => void>();
  const now = options.now ?? Date.now;
  const download: Download = {
    loaded: 0,
    total: null,
    listeners,
    promise: (async () => {
      try {
        const blob = await downloadFile(workspace, file, {
          ...options,
          onProgress: (loaded, total) => {
            download.loaded = loaded;
            download.total = total;
            for (const listener of listeners) {
              listener(loaded, total);
            }
          },
        });
        try {
          await cacheBlob(workspace.db, key, blob, now());
        } catch (error) {
          // The viewer still shows the file; it just will not be there offline.
          console.warn('could not cache file', file.id, error);
        }
        return blob;
      } finally {
        perDb.delete(key);
      }
    })(),
  };
  perDb.set(key, download);
  return download;
}

/**
 * A file's bytes: the cached copy, else a (shared) download that is then cached. Throws
 * {@link FileDownloadError}.
 */
export async function loadFileBlob(
  workspace: Pick<Workspace, 'session' | 'db'>,
  file: FileRef,
  options: FileLoadOptions = {},
): Promise<{ readonly blob: Blob; readonly fromCache: boolean }> {
  const now = options.now ?? Date.now;
  const cached = await cachedBlob(workspace.db, fileCacheKey(file.id), now()).catch(() => null);
  if (cached !== null) {
    return { blob: cached, fromCache: true };
  }
  const download = sharedDownload(workspace, file, options);
  const listener = options.onProgress;
  if (listener !== undefined) {
    download.listeners.add(listener);
    listener(download.loaded, download.total);
  }
  try {
    return { blob: await download.promise, fromCache: false };
  } finally {
    if (listener !== undefined) {
      download.listeners.delete(listener);
    }
  }
}

const problemOf = (error: unknown): FileProblem =>
  error instanceof FileDownloadError
    ? error.problem
    : { code: 'http', status: 0, detail: errorText(error) };

/**
 * The bytes of `file` for a component (null: nothing to load). `retry` starts over after an
 * error (for instance once the network is back).
 */
export function useFileBlob(
  workspace: Workspace,
  file: FileRef | null,
): FileBlobState & { readonly retry: () => void } {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{ key: string | null; value: FileBlobState }>({
    key: null,
    value: { status: 'idle' },
  });
  const id = file?.id ?? null;
  const sha256 = file?.sha256 ?? null;
  const mimeType = file?.mimeType ?? null;
  const key = id === null ? null : `${id}#${String(attempt)}`;

  useEffect(() => {
    if (id === null || key === null) {
      return;
    }
    let live = true;
    const set = (value: FileBlobState) => {
      if (live) {
        setState({ key, value });
      }
    };
    set({ status: 'loading', loaded: 0, total: null });
    loadFileBlob(
      workspace,
      { id, sha256, mimeType },
      {
        onProgress: (loaded, total) => {
          set({ status: 'loading', loaded, total });
        },
      },
    ).then(
      ({ blob, fromCache }) => {
        set({ status: 'ready', blob, fromCache });
      },
      (error: unknown) => {
        set({ status: 'error', problem: problemOf(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [workspace, id, sha256, mimeType, key]);

  const value: FileBlobState =
    key === null
      ? { status: 'idle' }
      : state.key === key
        ? state.value
        : { status: 'loading', loaded: 0, total: null };
  return {
    ...value,
    retry: () => {
      setAttempt((n) => n + 1);
    },
  };
}

/** Which of these files are in the local cache now (live). */
export function useCachedFiles(
  db: ReviewDeskDb,
  fileIds: readonly string[],
): ReadonlySet<string> | undefined {
  const joined = fileIds.join(',');
  return useLiveQuery(async () => {
    const ids = joined === '' ? [] : joined.split(',');
    const keys = await db.blobs.where('key').anyOf(ids.map(fileCacheKey)).primaryKeys();
    const cached = new Set(keys.map(String));
    return new Set(ids.filter((id) => cached.has(fileCacheKey(id))));
  }, [db, joined]);
}

/** What {@link prefetchFiles} did. */
export interface PrefetchSummary {
  /** Files already on this device. */
  readonly cached: number;
  readonly downloaded: number;
  readonly failed: readonly { readonly fileId: string; readonly problem: FileProblem }[];
}

/**
 * Caches the credential files of these items' revisions for offline work (the queue calls it
 * for the items it is about to work through). Downloads two files at a time; a failure does
 * not stop the others. Items that are not listing revisions have no files and are skipped.
 */
export async function prefetchFiles(
  workspace: Pick<Workspace, 'session' | 'db'>,
  itemIds: readonly string[],
  options: PrefetchOptions = {},
): Promise<PrefetchSummary> {
  const files: FileRef[] = [];
  for (const itemId of itemIds) {
    const revision = await loadRevisionFiles(workspace.db, itemId);
    for (const file of revision?.files ?? []) {
      if (file.fileId !== null) {
        files.push({ id: file.fileId, sha256: file.sha256, mimeType: file.mimeType });
      }
    }
  }
  return prefetchFileRefs(workspace, files, options);
}

export type PrefetchOptions = FileLoadOptions & {
  readonly signal?: AbortSignal;
  readonly concurrency?: number;
};

/**
 * Caches these files (any kind's: credential files, homework screenshots) for offline work, as
 * {@link prefetchFiles} does for listing items.
 */
export async function prefetchFileRefs(
  workspace: Pick<Workspace, 'session' | 'db'>,
  files: readonly FileRef[],
  options: PrefetchOptions = {},
): Promise<PrefetchSummary> {
  const { db } = workspace;
  const wanted = new Map<string, FileRef>();
  for (const file of files) {
    if (!wanted.has(file.id)) {
      wanted.set(file.id, file);
    }
  }
  const present = new Set(
    (
      await db.blobs
        .where('key')
        .anyOf([...wanted.keys()].map(fileCacheKey))
        .primaryKeys()
    ).map(String),
  );
  const queue = [...wanted.values()].filter((file) => !present.has(fileCacheKey(file.id)));
  const alreadyCached = wanted.size - queue.length;
  const { onProgress: _ignored, ...loadOptions } = options;
  let downloaded = 0;
  const failed: { fileId: string; problem: FileProblem }[] = [];
  const worker = async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      if (options.signal?.aborted === true) {
        return;
      }
      try {
        await loadFileBlob(workspace, file, loadOptions);
        downloaded += 1;
      } catch (error) {
        failed.push({ fileId: file.id, problem: problemOf(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, () => worker()));
  return { cached: alreadyCached, downloaded, failed };
}
