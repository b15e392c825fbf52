import type { Readable } from 'node:stream';

/** An inclusive byte range, as in an HTTP `Range: bytes=start-end` header. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Where uploaded bytes live (design decision 2): a local directory by default, S3-compatible
 * object storage in production. Keys are `/`-separated and made by the server only
 * (`institutions/<id>/listings/<id>/<sha256>`), never from a user-supplied file name.
 */
export interface FileStorage {
  /** Stores the bytes under `key` atomically: readers never see a half-written file. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** Size in bytes, or null when nothing is stored under `key`. */
  size(key: string): Promise<number | null>;
  /** Streams the whole object or an inclusive byte range of it. */
  read(key: string, range?: ByteRange): Readable;
  delete(key: string): Promise<void>;
}
