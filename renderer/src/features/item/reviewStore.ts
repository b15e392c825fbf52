import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ReviewReasonCode } from '#shared/domain/review/reasons';
import type { ValidationIssue } from '#shared/domain/validationIssue';
import type { CommentView } from './comments';
import type { Section } from './fields';

/**
 * What the field anchors of one item page read: findings, comments and reviewed marks by anchor,
 * the open comment composer, and the actions. A small store rather than props or a plain
 * context, so that a long listing (50 packages, hundreds of anchors) re-renders only the
 * anchors whose slice changed when a comment is saved or a field is marked.
 */
export interface ReviewActions {
  readonly openComposer: (path: string) => void;
  readonly closeComposer: () => void;
  readonly toggleReviewed: (path: string) => void;
  /** Records a comment on a field; true when it was saved. */
  readonly submitComment: (
    path: string,
    reasonCode: ReviewReasonCode,
    text: string,
  ) => Promise<boolean>;
}

export interface Leftovers {
  readonly issues: readonly ValidationIssue[];
  readonly comments: readonly CommentView[];
}

export interface ReviewState {
  readonly itemId: string;
  /** The document under review (any JSON value). */
  readonly doc: unknown;
  readonly issues: ReadonlyMap<string, readonly ValidationIssue[]>;
  readonly comments: ReadonlyMap<string, readonly CommentView[]>;
  /** Findings and comments no anchor of a section takes; `null` is the document as a whole. */
  readonly leftovers: ReadonlyMap<Section | null, Leftovers>;
  /** Hash of each anchor's current value. */
  readonly hashes: ReadonlyMap<string, string>;
  /** Hash of each marked field's value when it was marked. */
  readonly marks: ReadonlyMap<string, string>;
  readonly composerPath: string | null;
  /** The anchor that has keyboard focus itself (not a button inside it), if any. */
  readonly focusedPath: string | null;
  readonly canComment: boolean;
  readonly canMark: boolean;
  /** Display names of users, for comment authors. */
  readonly userNames: ReadonlyMap<string, string>;
  readonly actions: ReviewActions;
}

export type ReviewStore = StoreApi<ReviewState>;

export function createReviewStore(initial: ReviewState): ReviewStore {
  return createStore<ReviewState>()(() => initial);
}

export const ReviewStoreContext = createContext<ReviewStore | null>(null);

export function useReview<T>(selector: (state: ReviewState) => T): T {
  const store = useContext(ReviewStoreContext);
  if (store === null) {
    throw new Error('useReview needs a <ReviewStoreContext.Provider>');
  }
  return useStore(store, selector);
}

export function useReviewStore(): ReviewStore {
  const store = useContext(ReviewStoreContext);
  if (store === null) {
    throw new Error('useReviewStore needs a <ReviewStoreContext.Provider>');
  }
  return store;
}
