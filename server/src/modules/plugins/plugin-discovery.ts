import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PluginDefinition } from '@scrm/plugin-sdk';
import { manifestProblems, requiredPluginProblems, type ManifestProblem } from './plugin-manifest';

export type PluginSource = 'folder' | 'package' | 'path';

export interface DiscoveredPlugin {
  /** The manifest's name, or the folder/package name when the manifest could not be read. */
  name: string;
  source: PluginSource;
  location: string;
  /** Null when the plugin is invalid (see `problems`). */
  definition: PluginDefinition | null;
  problems: ManifestProblem[];
}

export interface DiscoveryOptions {
  /** The repository's `plugins/` folder: every sub-folder but `sdk`. */
  pluginsDir: string | null;
  /** `node_modules` folders searched for `scrm-plugin-*` and `@scope/scrm-plugin-*`. */
  nodeModulesDirs: string[];
  /** Further plugin modules or folders (PLUGIN_PATHS). */
  extraPaths: string[];
  coreVersion: string;
}

const looksLikeDefinition = (value: unknown): value is PluginDefinition =>
  typeof value === 'object' && value !== null && 'name' in value && 'version' in value && 'requires' in value;

function candidates(options: DiscoveryOptions): Array<{ source: PluginSource; location: string; label: string }> {
  const found: Array<{ source: PluginSource; location: string; label: string }> = [];
  const dirs = (dir: string) => (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => e.name) : []);
  if (options.pluginsDir) {
    for (const name of dirs(options.pluginsDir).sort()) {
      const location = join(options.pluginsDir, name);
      if (name !== 'sdk' && existsSync(join(location, 'package.json'))) found.push({ source: 'folder', location, label: name });
    }
  }
  for (const modules of options.nodeModulesDirs) {
    const packages = dirs(modules).flatMap((name) => (name.startsWith('@') ? dirs(join(modules, name)).map((inner) => `${name}/${inner}`) : [name]));
    for (const name of packages.filter((p) => /(^|\/)scrm-plugin-[a-z0-9-]+$/.test(p)).sort()) found.push({ source: 'package', location: join(modules, name), label: name });
  }
  for (const path of options.extraPaths) found.push({ source: 'path', location: resolve(path), label: path });
  return found;
}

function load(location: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(location) as Record<string, unknown>;
  return loaded.default ?? loaded.plugin ?? null;
}

/**
 * Finds plugin folders and packages, loads each and validates its manifest. A folder that exports
 * no plugin (a shared library such as a connector core) is not a plugin and is left out; one that
 * fails to load or whose manifest is wrong is kept, invalid, with its problems. Requirements on
 * other plugins are checked once all are known; a plugin named twice keeps only the first.
 */
export function discoverPlugins(options: DiscoveryOptions): DiscoveredPlugin[] {
  const plugins: DiscoveredPlugin[] = [];
  for (const candidate of candidates(options)) {
    let exported: unknown;
    try {
      exported = load(candidate.location);
    } catch (error) {
      plugins.push({ name: candidate.label, source: candidate.source, location: candidate.location, definition: null, problems: [{ path: '(module)', message: `could not be loaded: ${error instanceof Error ? error.message : String(error)}` }] });
      continue;
    }
    if (!looksLikeDefinition(exported)) {
      if (candidate.source !== 'folder') plugins.push({ name: candidate.label, source: candidate.source, location: candidate.location, definition: null, problems: [{ path: '(module)', message: 'exports no plugin: export default definePlugin({...})' }] });
      continue;
    }
    const name = typeof exported.name === 'string' ? exported.name : candidate.label;
    const problems = manifestProblems(exported, options.coreVersion);
    const duplicate = plugins.some((p) => p.name === name);
    if (duplicate) problems.push({ path: 'name', message: `another plugin is already named ${name}` });
    plugins.push({ name: duplicate ? `${name}@${candidate.label}` : name, source: candidate.source, location: candidate.location, definition: problems.length ? null : exported, problems });
  }
  // A plugin whose requirement is missing or invalid is itself invalid, and so on down the chain.
  for (let changed = true; changed; ) {
    changed = false;
    const available = new Map(plugins.filter((p) => p.definition).map((p) => [p.name, (p.definition as PluginDefinition).version]));
    for (const plugin of plugins) {
      if (!plugin.definition) continue;
      const problems = requiredPluginProblems(plugin.definition, available);
      if (problems.length) {
        plugin.problems.push(...problems);
        plugin.definition = null;
        changed = true;
      }
    }
  }
  return plugins;
}

/** The version of this core (the repository's package.json), which `requires.core` is checked against. */
export function coreVersion(): string {
  const manifest = JSON.parse(readFileSync(resolve(__dirname, '../../../../package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

export const defaultPluginsDir = resolve(__dirname, '../../../../plugins');
export const defaultNodeModulesDirs = [resolve(__dirname, '../../../../node_modules')];
