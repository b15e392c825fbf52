import { coreMutations } from '../core';
import type { MutationDefinition, ReviewKind } from '../kind';
import { escalationKind } from './escalation';
import { homeworkKind, homeworkMentorKind } from './homework';
import { listingRevisionKind } from './listing';
import { refundKind } from './refund';

/** Every review kind this server knows. A new kind is a new module added here. */
export const REVIEW_KINDS: readonly ReviewKind[] = [
  listingRevisionKind,
  homeworkKind,
  homeworkMentorKind,
  refundKind,
  escalationKind,
];

const byName = new Map(REVIEW_KINDS.map((kind) => [kind.kind, kind]));

export function findKind(kind: string): ReviewKind | undefined {
  return byName.get(kind);
}

/** Kinds whose items (and their decisions, comments and history) a role's workstation mirrors. */
export function kindsVisibleTo(role: ReviewKind['visibleTo'][number]): string[] {
  return REVIEW_KINDS.filter((kind) => kind.visibleTo.includes(role)).map((kind) => kind.kind);
}

/** The registry key of a mutation version: `claim@2`. */
export const mutationKey = (name: string, v: number) => `${name}@${v}`;

/**
 * All RSP/1 mutations, the core's and every kind's, by `name@v`. Definitions are given by name
 * (`claim`) or by name and version (`claim@2`) — the server keeps accepting older versions
 * while clients move on (RSP/1 §2.7). A version may be defined once.
 */
export function buildMutationRegistry(
  kinds: readonly ReviewKind[] = REVIEW_KINDS,
): ReadonlyMap<string, MutationDefinition> {
  const registry = new Map<string, MutationDefinition>();
  const add = (key: string, definition: MutationDefinition, owner: string) => {
    const name = key.split('@')[0] ?? key;
    const registryKey = mutationKey(name, definition.v);
    if (registry.has(registryKey)) {
      throw new Error(`mutation ${registryKey} is defined twice (${owner})`);
    }
    registry.set(registryKey, definition);
  };
  for (const [key, definition] of Object.entries(coreMutations(kinds))) {
    add(key, definition, 'core');
  }
  for (const kind of kinds) {
    for (const [key, definition] of Object.entries(kind.mutations ?? {})) {
      add(key, definition, `review kind ${kind.kind}`);
    }
  }
  return registry;
}

/** The newest version of `name` the registry knows, or null. */
export function newestVersion(
  registry: ReadonlyMap<string, MutationDefinition>,
  name: string,
): number | null {
  let newest: number | null = null;
  for (const [key, definition] of registry) {
    if (key.startsWith(`${name}@`)) {
      newest = Math.max(newest ?? 0, definition.v);
    }
  }
  return newest;
}
