import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/ipc/contract';
import type { Locale } from '../../shared/i18n/localized';

/**
 * The native application menu. The workstation's own commands are not run here: each item sends
 * its {@link MenuCommand} to the focused window (`MENU_COMMAND_CHANNEL`), where the renderer
 * runs it exactly as it would run its own button — one code path, one set of permission checks.
 */

/** Keyboard shortcuts of the workstation commands (Electron accelerator syntax). */
export const MENU_ACCELERATORS: Readonly<Partial<Record<MenuCommand, string>>> = {
  'sync-now': 'CmdOrCtrl+Shift+S',
  'open-settings': 'CmdOrCtrl+,',
  'open-conflicts': 'CmdOrCtrl+Shift+C',
  'open-queue': 'CmdOrCtrl+1',
  'toggle-theme': 'CmdOrCtrl+Shift+T',
};

interface MenuLabels {
  readonly file: string;
  readonly edit: string;
  readonly view: string;
  readonly window: string;
  readonly commands: Readonly<Record<MenuCommand, string>>;
  readonly undo: string;
  readonly redo: string;
  readonly cut: string;
  readonly copy: string;
  readonly paste: string;
  readonly selectAll: string;
  readonly reload: string;
  readonly forceReload: string;
  readonly toggleDevTools: string;
  readonly resetZoom: string;
  readonly zoomIn: string;
  readonly zoomOut: string;
  readonly toggleFullScreen: string;
  readonly quit: string;
}

// Role items get explicit labels too: Electron's built-in role labels are English only.
const LABELS: Readonly<Record<Locale, MenuLabels>> = {
  'zh-CN': {
    file: '文件',
    edit: '编辑',
    view: '视图',
    window: '窗口',
    commands: {
      'sync-now': '立即同步',
      'open-settings': '设置…',
      'open-conflicts': '冲突与退回',
      'open-queue': '审核队列',
      'sign-out': '退出登录',
      'toggle-theme': '切换深色/浅色主题',
    },
    undo: '撤销',
    redo: '重做',
    cut: '剪切',
    copy: '复制',
    paste: '粘贴',
    selectAll: '全选',
    reload: '重新加载',
    forceReload: '强制重新加载',
    toggleDevTools: '开发者工具',
    resetZoom: '实际大小',
    zoomIn: '放大',
    zoomOut: '缩小',
    toggleFullScreen: '切换全屏',
    quit: '退出 ReviewDesk',
  },
  en: {
    file: 'File',
    edit: 'Edit',
    view: 'View',
    window: 'Window',
    commands: {
      'sync-now': 'Sync Now',
      'open-settings': 'Settings…',
      'open-conflicts': 'Conflicts and Rejections',
      'open-queue': 'Review Queue',
      'sign-out': 'Sign Out',
      'toggle-theme': 'Toggle Dark/Light Theme',
    },
    undo: 'Undo',
    redo: 'Redo',
    cut: 'Cut',
    copy: 'Copy',
    paste: 'Paste',
    selectAll: 'Select All',
    reload: 'Reload',
    forceReload: 'Force Reload',
    toggleDevTools: 'Developer Tools',
    resetZoom: 'Actual Size',
    zoomIn: 'Zoom In',
    zoomOut: 'Zoom Out',
    toggleFullScreen: 'Toggle Full Screen',
    quit: 'Quit ReviewDesk',
  },
};

export interface MenuOptions {
  /** The workstation language from the settings. */
  readonly language: Locale;
  /** `app.isPackaged`: a packaged app has no reload or developer tools. */
  readonly isPackaged: boolean;
  /** `process.platform`: macOS gets its application and Window menus. */
  readonly platform: NodeJS.Platform;
  /** Sends the command to the focused window (`index.ts` wires `webContents.send`). */
  readonly dispatch: (command: MenuCommand) => void;
}

/** The application menu template, for `Menu.buildFromTemplate`. */
export function menuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const labels = LABELS[options.language];
  const isMac = options.platform === 'darwin';

  const command = (name: MenuCommand): MenuItemConstructorOptions => {
    const accelerator = MENU_ACCELERATORS[name];
    return {
      id: name,
      label: labels.commands[name],
      ...(accelerator === undefined ? {} : { accelerator }),
      click: () => {
        options.dispatch(name);
      },
    };
  };

  const developer: MenuItemConstructorOptions[] = options.isPackaged
    ? []
    : [
        { role: 'reload', label: labels.reload },
        { role: 'forceReload', label: labels.forceReload },
        { role: 'toggleDevTools', label: labels.toggleDevTools },
        { type: 'separator' },
      ];

  const template: MenuItemConstructorOptions[] = [
    {
      id: 'file',
      label: labels.file,
      submenu: [
        command('sync-now'),
        { type: 'separator' },
        command('open-settings'),
        { type: 'separator' },
        command('sign-out'),
        // macOS quits from the application menu; elsewhere File ends with Quit.
        ...(isMac
          ? []
          : [{ type: 'separator' } as const, { role: 'quit', label: labels.quit } as const]),
      ],
    },
    {
      id: 'edit',
      label: labels.edit,
      submenu: [
        { role: 'undo', label: labels.undo },
        { role: 'redo', label: labels.redo },
        { type: 'separator' },
        { role: 'cut', label: labels.cut },
        { role: 'copy', label: labels.copy },
        { role: 'paste', label: labels.paste },
        { role: 'selectAll', label: labels.selectAll },
      ],
    },
    {
      id: 'view',
      label: labels.view,
      submenu: [
        command('open-queue'),
        command('open-conflicts'),
        { type: 'separator' },
        command('toggle-theme'),
        { type: 'separator' },
        ...developer,
        { role: 'resetZoom', label: labels.resetZoom },
        { role: 'zoomIn', label: labels.zoomIn },
        { role: 'zoomOut', label: labels.zoomOut },
        { type: 'separator' },
        { role: 'togglefullscreen', label: labels.toggleFullScreen },
      ],
    },
  ];

  if (isMac) {
    template.unshift({ role: 'appMenu' });
    template.push({ role: 'windowMenu', label: labels.window });
  }
  return template;
}
