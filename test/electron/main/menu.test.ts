import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { MENU_ACCELERATORS, menuTemplate, type MenuOptions } from '../../../electron/main/menu';
import { menuCommands, type MenuCommand } from '../../../shared/ipc/contract';

function template(overrides: Partial<MenuOptions> = {}) {
  const dispatch = vi.fn<(command: MenuCommand) => void>();
  const items = menuTemplate({
    language: 'zh-CN',
    isPackaged: true,
    platform: 'linux',
    dispatch,
    ...overrides,
  });
  return { items, dispatch };
}

/** Every item of the template, depth first. */
function flatten(items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [
    item,
    ...(Array.isArray(item.submenu) ? flatten(item.submenu) : []),
  ]);
}

function findCommand(items: readonly MenuItemConstructorOptions[], command: MenuCommand) {
  const item = flatten(items).find((candidate) => candidate.id === command);
  if (item === undefined) {
    throw new Error(`no menu item for ${command}`);
  }
  return item;
}

describe('menuTemplate', () => {
  it('has one item per workstation command, each dispatching its command', () => {
    const { items, dispatch } = template();
    for (const command of menuCommands) {
      const item = findCommand(items, command);
      // Electron passes (menuItem, window, event); the handler needs none of them.
      (item.click as () => void)();
      expect(dispatch).toHaveBeenLastCalledWith(command);
    }
    expect(dispatch).toHaveBeenCalledTimes(menuCommands.length);
  });

  it('binds the documented shortcuts', () => {
    const { items } = template();
    const expected: Partial<Record<MenuCommand, string>> = {
      'sync-now': 'CmdOrCtrl+Shift+S',
      'open-settings': 'CmdOrCtrl+,',
      'open-conflicts': 'CmdOrCtrl+Shift+C',
      'open-queue': 'CmdOrCtrl+1',
      'toggle-theme': 'CmdOrCtrl+Shift+T',
    };
    expect(MENU_ACCELERATORS).toEqual(expected);
    for (const command of menuCommands) {
      expect(findCommand(items, command).accelerator, command).toBe(expected[command]);
    }
    const accelerators = flatten(items).flatMap((item) => item.accelerator ?? []);
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });

  it('speaks the current language', () => {
    const zh = template({ language: 'zh-CN' }).items;
    const en = template({ language: 'en' }).items;
    expect(zh.map((item) => item.label)).toEqual(['文件', '编辑', '视图']);
    expect(en.map((item) => item.label)).toEqual(['File', 'Edit', 'View']);
    expect(findCommand(zh, 'sync-now').label).toBe('立即同步');
    expect(findCommand(en, 'sync-now').label).toBe('Sync Now');
    expect(findCommand(zh, 'sign-out').label).toBe('退出登录');
    expect(flatten(zh).find((item) => item.role === 'copy')?.label).toBe('复制');
  });

  it('has the standard Edit menu', () => {
    const edit = template().items.find((item) => item.id === 'edit');
    const roles = (edit?.submenu as MenuItemConstructorOptions[]).flatMap(
      (item) => item.role ?? [],
    );
    expect(roles).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']);
  });

  it('has no reload or developer tools when packaged', () => {
    const roles = flatten(template({ isPackaged: true }).items).flatMap((item) => item.role ?? []);
    expect(roles).not.toContain('reload');
    expect(roles).not.toContain('forceReload');
    expect(roles).not.toContain('toggleDevTools');
    expect(roles).toEqual(
      expect.arrayContaining(['zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen']),
    );
  });

  it('offers reload and developer tools while developing', () => {
    const roles = flatten(template({ isPackaged: false }).items).flatMap((item) => item.role ?? []);
    expect(roles).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']));
  });

  it('adds the application and Window menus on macOS, Quit in File elsewhere', () => {
    const mac = template({ platform: 'darwin' }).items;
    expect(mac[0]?.role).toBe('appMenu');
    expect(mac.at(-1)?.role).toBe('windowMenu');
    expect(flatten(mac).some((item) => item.role === 'quit')).toBe(false);

    const windows = template({ platform: 'win32' }).items;
    expect(windows.some((item) => item.role === 'appMenu')).toBe(false);
    expect(flatten(windows).some((item) => item.role === 'quit')).toBe(true);
  });
});
