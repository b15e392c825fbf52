import { useMemo, useSyncExternalStore } from 'react';
import { findScreen } from '../kinds/registry';

/**
 * The workstation's routes, in the URL hash (`#/queue`, `#/items/{id}`, `#/conflicts`,
 * `#/settings`, and the screens modules register, `#/homework/…`) so that
 * reloads, the desktop menu and links inside the app all land on the same screen without a
 * server round trip. New screens (an item page, `#/items/{id}`) are added here only.
 */
export type Route =
  | {
      readonly name: 'queue';
      /** Show only this item (from a conflict card's "Open item"). */
      readonly itemId: string | null;
    }
  | {
      readonly name: 'item';
      readonly itemId: string;
      /** The item page's tab: the listing, its changes against the live version, files, history. */
      readonly tab: ItemTab;
    }
  | { readonly name: 'conflicts' }
  | { readonly name: 'settings' }
  | {
      /** A screen a module registered (`#/homework/pool?student=…`), see `kinds/registry.ts`. */
      readonly name: 'screen';
      readonly screenId: string;
      /** The path below the screen's own segment: `''` or `/pool`. */
      readonly subpath: string;
      /** The query string without `?` (`student=S001`), empty when none. */
      readonly query: string;
    };

export const ITEM_TABS = ['listing', 'changes', 'files', 'history'] as const;
export type ItemTab = (typeof ITEM_TABS)[number];

const isItemTab = (value: string | null): value is ItemTab =>
  value !== null && (ITEM_TABS as readonly string[]).includes(value);

export const DEFAULT_ROUTE: Route = { name: 'queue', itemId: null };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?', 2);
  const params = new URLSearchParams(query);
  const itemMatch = /^\/items\/([^/]+)$/.exec(path.replace(/\/+$/, ''));
  if (itemMatch?.[1] !== undefined) {
    const tab = params.get('tab');
    return {
      name: 'item',
      itemId: decodeURIComponent(itemMatch[1]),
      tab: isItemTab(tab) ? tab : 'listing',
    };
  }
  const screenMatch = /^\/([a-z][a-z0-9-]*)(\/.*)?$/.exec(path.replace(/\/+$/, ''));
  if (screenMatch?.[1] !== undefined && findScreen(screenMatch[1]) !== undefined) {
    return {
      name: 'screen',
      screenId: screenMatch[1],
      subpath: screenMatch[2] ?? '',
      query: params.toString(),
    };
  }
  switch (path.replace(/\/+$/, '')) {
    case '/conflicts':
      return { name: 'conflicts' };
    case '/settings':
      return { name: 'settings' };
    case '/queue': {
      const itemId = params.get('item');
      return { name: 'queue', itemId: itemId === null || itemId === '' ? null : itemId };
    }
    default:
      return DEFAULT_ROUTE;
  }
}

/** The hash (with `#`) of a route: for `href`s and for `navigate`. */
export function routeHref(route: Route): string {
  switch (route.name) {
    case 'queue':
      return route.itemId === null
        ? '#/queue'
        : `#/queue?${new URLSearchParams({ item: route.itemId }).toString()}`;
    case 'item':
      return route.tab === 'listing'
        ? `#/items/${encodeURIComponent(route.itemId)}`
        : `#/items/${encodeURIComponent(route.itemId)}?tab=${route.tab}`;
    case 'conflicts':
      return '#/conflicts';
    case 'settings':
      return '#/settings';
    case 'screen':
      return `#/${route.screenId}${route.subpath}${route.query === '' ? '' : `?${route.query}`}`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = routeHref(route);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
  };
}

const currentHash = () => window.location.hash;

/** The current route; re-renders on every hash change. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, currentHash, () => '');
  return useMemo(() => parseRoute(hash), [hash]);
}
