import { coreMutations } from '../core';
import type { MutationDefinition, ReviewKind } from '../kind';
import { homeworkKind, homeworkMentorKind } from './homework';
import { listingRevisionKind } from './listing';
import { refundKind } from './refund';

/** Every review kind this server knows. A new kind is a new module added here. */
export const REVIEW_KINDS: readonly ReviewKind[] = [
  listingRevisionKind,
  homeworkKind,
  homeworkMentorKind,
  refundKind,
];

const byName = new Map(REVIEW_KINDS.map((kind) => [kind.kind, kind]));

export function findKind(kind: string): ReviewKind | undefined {
  return byName.get(kind);
}

/** Kinds whose items (and their decisions, comments and history) a role's workstation mirrors. */
export function kindsVisibleTo(role: ReviewKind['visibleTo'][number]): string[] {
  return REVIEW_KINDS.filter((kind) => kind.visibleTo.includes(role)).map((kind) => kind.kind);
}

/** All RSP/1 mutations: the core's and every kind's, by name; a name may be defined once. */
export function buildMutationRegistry(
  kinds: readonly ReviewKind[] = REVIEW_KINDS,
): ReadonlyMap<string, MutationDefinition> {
  const registry = new Map<string, MutationDefinition>(
    Object.entries(coreMutations((name) => kinds.find((kind) => kind.kind === name))),
  );
  for (const kind of kinds) {
    for (const [name, definition] of Object.entries(kind.mutations ?? {})) {
      if (registry.has(name)) {
        throw new Error(`mutation ${name} is defined twice (review kind ${kind.kind})`);
      }
      registry.set(name, definition);
    }
  }
  return registry;
}
