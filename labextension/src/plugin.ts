/**
 * The application plugin (package.json `jupyterlab.extension`): reads the user settings
 * (schema/plugin.json) into the shared settings the renderers use, tells the renderers about
 * theme changes, and adds commands to the command palette and the outputs' context menu.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, IThemeManager, Notification } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { COLORMAPS } from './colormap';
import { downloadDataUrl } from './dom';
import { normalizeSettings, registry, settings, themeChanged } from './settings';
import type { PlotView } from './views/plot';

export const PLUGIN_ID = 'gankit-labextension:plugin';

export const CommandIDs = {
  exportPng: 'gankit:export-png',
  toggleLog: 'gankit:toggle-log-scale',
  setColormap: 'gankit:set-default-colormap'
} as const;

const CATEGORY = 'gankit';

function activate(
  app: JupyterFrontEnd,
  settingRegistry: ISettingRegistry | null,
  palette: ICommandPalette | null,
  themeManager: IThemeManager | null
): void {
  let stored: ISettingRegistry.ISettings | null = null;
  if (settingRegistry) {
    settingRegistry
      .load(PLUGIN_ID)
      .then(s => {
        stored = s;
        const apply = () => settings.set(normalizeSettings(s.composite as Record<string, unknown>));
        apply();
        s.changed.connect(apply);
      })
      .catch(e => console.warn('gankit: settings could not be loaded, using defaults', e));
  }
  themeManager?.themeChanged.connect(() => themeChanged.set(themeChanged.value + 1));

  const focused = () => registry.focused(app.shell.currentWidget?.node ?? null);

  app.commands.addCommand(CommandIDs.exportPng, {
    label: 'gankit: Export focused figure as PNG',
    caption: 'Download the gankit tensor, image grid or plot you last clicked (or the one in the active cell) as a PNG file',
    isEnabled: () => registry.size > 0,
    execute: async () => {
      const view = focused();
      if (!view) {
        Notification.warning('gankit: no figure to export. Click a gankit output first.', { autoClose: 4000 });
        return;
      }
      try {
        downloadDataUrl(document, await view.toPng(), view.filename);
      } catch (e) {
        Notification.error(`gankit: export failed: ${e instanceof Error ? e.message : String(e)}`, { autoClose: 6000 });
      }
    }
  });

  app.commands.addCommand(CommandIDs.toggleLog, {
    label: 'gankit: Toggle log scale of focused plot',
    isEnabled: () => registry.size > 0,
    execute: () => {
      const view = focused();
      if (view?.kind !== 'plot') {
        Notification.warning('gankit: no plot focused. Click a gankit plot first.', { autoClose: 4000 });
        return;
      }
      (view as unknown as PlotView).toggleScale();
    }
  });

  app.commands.addCommand(CommandIDs.setColormap, {
    label: args => `gankit: Default colormap ${String(args.name ?? '')}`.trim(),
    isToggled: args => settings.value.defaultColormap === args.name,
    isEnabled: args => (COLORMAPS as readonly unknown[]).includes(args.name),
    execute: async args => {
      const name = String(args.name);
      if (stored) {
        await stored.set('defaultColormap', name); // persists; `changed` updates the renderers
      } else {
        settings.set(normalizeSettings({ ...settings.value, defaultColormap: name }));
      }
    }
  });

  if (palette) {
    palette.addItem({ command: CommandIDs.exportPng, category: CATEGORY });
    palette.addItem({ command: CommandIDs.toggleLog, category: CATEGORY });
    for (const name of COLORMAPS) {
      palette.addItem({ command: CommandIDs.setColormap, category: CATEGORY, args: { name } });
    }
  }
  app.contextMenu.addItem({ command: CommandIDs.exportPng, selector: '.gankit-view', rank: 0 });
  app.contextMenu.addItem({ command: CommandIDs.toggleLog, selector: '.gankit-plot', rank: 1 });
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'gankit: settings, theme and commands for the gankit output renderers.',
  autoStart: true,
  optional: [ISettingRegistry, ICommandPalette, IThemeManager],
  activate
};

export default plugin;
