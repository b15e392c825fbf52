import type { RawBridge } from '../../../shared/ipc/contract';

declare global {
  interface Window {
    /**
     * The desktop shell's bridge, exposed by the preload; absent in web mode. Use `getBridge()`
     * (renderer/src/bridge) rather than this: it unwraps results and falls back to web mode.
     */
    reviewDesk?: RawBridge | undefined;
  }
}

export {};
