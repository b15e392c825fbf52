import type { TFunction } from 'i18next';

type PluralSuffix = '_one' | '_other';
type WithoutPlural<K extends string> = K extends `${infer Base}${PluralSuffix}` ? Base : K;

/** Every leaf key of a catalogue, dotted, with i18next's plural suffixes folded. */
export type CatalogueKey<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string
    ? `${Prefix}${WithoutPlural<K>}`
    : CatalogueKey<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** `t` over one module's keys, type-checked against its English catalogue. */
export type ScopedT<Key extends string> = (key: Key, options?: Record<string, unknown>) => string;

/**
 * The app's `t` seen through one module's keys (the same function, the same language): modules
 * whose catalogue is not part of the app's typed resources get their keys checked this way.
 */
export const scopedT = <Key extends string>(t: TFunction): ScopedT<Key> =>
  t as unknown as ScopedT<Key>;
