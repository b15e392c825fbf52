import type { TFunction } from 'i18next';
import type { ComponentType } from 'react';
import type { Role } from '#shared/domain/roles';
import type { MutationName } from '#shared/sync/mutations';
import type { ReviewItemRecord } from '#shared/sync/rows';
import type { ReviewDeskDb } from '../db/database';
import type { FileRef } from '../features/viewer/useFileBlob';
import type { Workspace } from '../workspace/workspace';

/**
 * The workstation's side of the review kinds, mirroring the server's `review/kinds/`: each kind
 * (listing revision, homework, the mentors' pool, refund, …) is a module that says who works on
 * its items, how its decision is taken from a queue row, and may bring its own item view and its
 * own screens (with their navigation entries). The queue, the item page and the shell only read
 * this registry; a new kind is a new module listed in `kinds/index.ts` and touches neither.
 *
 * This file imports no module: modules import it, `kinds/index.ts` registers them at start-up.
 * That keeps the queue → registry → module graph free of cycles.
 */

/** How the queue takes the kind's decision: approve/reject buttons, or one "decide" action. */
export type DecisionForm = 'approveReject' | 'single';

/** Props of a kind's decision dialog, opened from a queue row. */
export interface DecisionDialogProps {
  readonly workspace: Workspace;
  readonly item: ReviewItemRecord;
  readonly onClose: () => void;
  /** Records the mutation; resolves true once it is in the outbox (the dialog then closes). */
  readonly onSubmit: (
    name: MutationName,
    args: unknown,
    options?: { readonly v?: number },
  ) => Promise<boolean>;
}

/** Props of a kind's own item page, shown at `#/items/{id}`. */
export interface KindItemViewProps {
  readonly workspace: Workspace;
  readonly itemId: string;
  readonly item: ReviewItemRecord;
}

/** Props of a kind's view of a conflict: what I sent beside what the server holds. */
export interface ConflictViewProps {
  readonly workspace: Workspace;
  /** The arguments of my refused mutation. */
  readonly args: unknown;
  /** The server's conflict details (for `gradeHomework`: `theirs`, the grade that won). */
  readonly details: Readonly<Record<string, unknown>>;
}

export interface KindModule {
  /** The server's kind name, e.g. `homework`. */
  readonly kind: string;
  /** Roles that claim and decide its items (mirrors the server module; the server decides). */
  readonly reviewerRoles: readonly Role[];
  readonly decision: DecisionForm;
  /**
   * The label of the single decision action's button ("Grade", "Review"); `approveReject` kinds
   * use the queue's approve and reject. A function of `t` so the key stays type-checked.
   */
  readonly decisionLabel?: (t: TFunction) => string;
  /**
   * What the single decision action does: open the kind's dialog over the queue, or open its item
   * page (homework grades on its own page). Default: the dialog when there is one.
   */
  readonly decide?: 'dialog' | 'open';
  readonly DecisionDialog?: ComponentType<DecisionDialogProps>;
  /** The kind's own item page; the listing item page otherwise. */
  readonly ItemView?: ComponentType<KindItemViewProps>;
  /** Rank in the queue's kind tabs (lower first). */
  readonly order: number;
  /** Conflict views of the kind's own mutations, by mutation name (`gradeHomework`). */
  readonly conflictViews?: Readonly<Record<string, ComponentType<ConflictViewProps>>>;
  /**
   * The files an item of the kind needs offline (homework: the screenshots), cached when the
   * item is taken for offline work. Listing revisions' credential files are the queue's own.
   */
  readonly offlineFiles?: (db: ReviewDeskDb, item: ReviewItemRecord) => Promise<readonly FileRef[]>;
}

/** Props of a screen: the path below its prefix (`/pool` of `#/homework/pool`) and the query. */
export interface ScreenProps {
  readonly workspace: Workspace;
  readonly subpath: string;
  readonly params: URLSearchParams;
}

/** A screen with its own address and navigation entry (the homework screen, the ops console…). */
export interface ScreenModule {
  /** Unique id, also the first path segment: `homework` → `#/homework…`. */
  readonly id: string;
  /** The navigation label (a function of `t` so the key stays type-checked). */
  readonly navLabel: (t: TFunction) => string;
  /** Who sees it in the navigation and may open it. */
  readonly roles: readonly Role[];
  /** Position in the navigation, after the queue (lower first). */
  readonly order: number;
  readonly Screen: ComponentType<ScreenProps>;
}

const kinds = new Map<string, KindModule>();
const screens = new Map<string, ScreenModule>();

export function registerKind(module: KindModule): void {
  if (kinds.has(module.kind)) {
    throw new Error(`review kind ${module.kind} is registered twice`);
  }
  kinds.set(module.kind, module);
}

export function registerScreen(module: ScreenModule): void {
  if (screens.has(module.id) || !/^[a-z][a-z0-9-]*$/.test(module.id)) {
    throw new Error(`screen ${module.id} is registered twice or has an invalid id`);
  }
  screens.set(module.id, module);
}

export function findKindModule(kind: string): KindModule | undefined {
  return kinds.get(kind);
}

export function kindModules(): KindModule[] {
  return [...kinds.values()].sort((a, b) => a.order - b.order);
}

/** The conflict view some kind registered for a mutation name, if any. */
export function findConflictView(
  mutationName: string,
): ComponentType<ConflictViewProps> | undefined {
  for (const module of kinds.values()) {
    const view = module.conflictViews?.[mutationName];
    if (view !== undefined) {
      return view;
    }
  }
  return undefined;
}

export function findScreen(id: string): ScreenModule | undefined {
  return screens.get(id);
}

/** Screens a role may open, in navigation order. */
export function screensFor(role: Role): ScreenModule[] {
  return [...screens.values()]
    .filter((screen) => screen.roles.includes(role))
    .sort((a, b) => a.order - b.order);
}

/** Forgets every registration (tests register their own). */
export function clearRegistry(): void {
  kinds.clear();
  screens.clear();
}
