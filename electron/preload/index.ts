import { contextBridge } from 'electron';

/**
 * The preload runs sandboxed and is bundled into one CommonJS file. It exposes a narrow, frozen
 * bridge (one method per IPC message once the typed contract lands) and never `ipcRenderer`.
 */
const bridge = Object.freeze({
  kind: 'electron' as const,
  platform: process.platform,
});

contextBridge.exposeInMainWorld('reviewDesk', bridge);
