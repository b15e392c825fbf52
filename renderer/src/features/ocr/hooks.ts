import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { isOcrError, OcrError, type OcrProgress } from '#shared/ocr/index';
import { MUTATION_ARGS } from '#shared/sync/mutations';
import type { Workspace } from '../../workspace/workspace';
import type { CredentialFileView } from '../viewer/files';
import { loadFileBlob } from '../viewer/useFileBlob';
import { itemOcrSnapshot, subscribeItemOcr, type ItemOcr } from './itemOcr';
import { getOcrClient } from './ocrService';
import { putOcrResult } from './ocrStore';

/** An item's OCR readings and findings (undefined while loading); null workspace → undefined. */
export function useItemOcr(
  workspace: Pick<Workspace, 'db' | 'serverNow'> | null,
  itemId: string | null,
): ItemOcr | undefined {
  const subscribe = useCallback(
    (listener: () => void) =>
      workspace === null || itemId === null
        ? () => undefined
        : subscribeItemOcr(workspace, itemId, listener),
    [workspace, itemId],
  );
  const snapshot = useCallback(
    () =>
      workspace === null || itemId === null ? undefined : itemOcrSnapshot(workspace.db, itemId),
    [workspace, itemId],
  );
  return useSyncExternalStore(subscribe, snapshot);
}

export type OcrJobState =
  | { readonly status: 'idle' }
  | { readonly status: 'running'; readonly progress: OcrProgress | null }
  | { readonly status: 'failed'; readonly error: OcrError };

/**
 * Reads one credential file in the OCR worker and keeps the result on this device by SHA-256
 * (the item's live query then shows it). Cancelled by `cancel` and when the component unmounts.
 */
export function useOcrJob(workspace: Workspace, file: CredentialFileView) {
  const [state, setState] = useState<OcrJobState>({ status: 'idle' });
  const controller = useRef<AbortController | null>(null);
  useEffect(
    () => () => {
      controller.current?.abort();
    },
    [],
  );
  const run = useCallback(
    (refresh = false) => {
      const fileId = file.fileId;
      if (fileId === null) {
        return;
      }
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      setState({ status: 'running', progress: null });
      void (async () => {
        try {
          const { blob } = await loadFileBlob(workspace, {
            id: fileId,
            sha256: file.sha256,
            mimeType: file.mimeType,
          });
          if (abort.signal.aborted) {
            throw new OcrError('CANCELLED');
          }
          const result = await getOcrClient().process(blob, {
            name: file.fileName,
            signal: abort.signal,
            refresh,
            onProgress: (progress) => {
              if (!abort.signal.aborted) {
                setState({ status: 'running', progress });
              }
            },
          });
          await putOcrResult(
            workspace.db,
            file.sha256 === null ? [result.sha256] : [result.sha256, file.sha256],
            result,
          );
          if (controller.current === abort) {
            setState({ status: 'idle' });
          }
        } catch (failure) {
          if (controller.current !== abort) {
            return;
          }
          const error = isOcrError(failure)
            ? failure
            : abort.signal.aborted
              ? new OcrError('CANCELLED')
              : new OcrError('ENGINE_FAILED', {
                  detail: failure instanceof Error ? failure.message : String(failure),
                });
          setState(error.code === 'CANCELLED' ? { status: 'idle' } : { status: 'failed', error });
        }
      })();
    },
    [workspace, file],
  );
  const cancel = useCallback(() => {
    controller.current?.abort();
    controller.current = null;
    setState({ status: 'idle' });
  }, []);
  return { state, run, cancel };
}

/** Records a finding's suggested comment as a field comment (the `comment` mutation). */
export async function recordFindingComment(
  workspace: Workspace,
  itemId: string,
  comment: { readonly path: string; readonly reasonCode: string; readonly text: string },
): Promise<void> {
  const args = MUTATION_ARGS.comment.parse({ itemId, ...comment });
  await workspace.record('comment', args);
}
