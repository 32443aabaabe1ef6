import cron from 'node-cron';
import semver from 'semver';
import { z } from 'zod';
import { isEventName, isFilterName, type PluginDefinition } from '@scrm/plugin-sdk';
import { isPermission } from '../access/permissions';

export interface ManifestProblem {
  /** Where in the manifest, e.g. `requires.core` or `hooks.customer.create`. */
  path: string;
  message: string;
}

export const pluginNamePattern = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const localized = z.object({ 'zh-CN': z.string().min(1), 'en-US': z.string().min(1) });
const handler = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', 'must be a function');

/** The manifest's shape; names, versions and ranges are checked after it, with clearer messages. */
const manifestShape = z.object({
  name: z.string().regex(pluginNamePattern, 'must be lower-case words joined by dashes, e.g. "erp-rest"').max(40),
  version: z.string().refine((v) => semver.valid(v) !== null, 'must be a semver version such as 1.0.0'),
  requires: z.object({
    core: z.string().refine((v) => semver.validRange(v) !== null, 'must be a semver range such as ^0.1.0'),
    plugins: z.record(z.string(), z.string().refine((v) => semver.validRange(v) !== null, 'must be a semver range')).optional(),
  }),
  title: localized,
  description: localized.optional(),
  settings: z.custom<z.ZodType>((value) => value instanceof z.ZodType, 'must be a zod schema').optional(),
  secretKeys: z.array(z.string().min(1)).optional(),
  migrations: z.array(z.object({ name: z.string().min(1).max(100), up: handler, down: handler })).optional(),
  hooks: z.record(z.string(), handler).optional(),
  filters: z.record(z.string(), handler).optional(),
  routes: z
    .array(
      z.object({
        method: z.enum(['get', 'post', 'put', 'patch', 'delete']),
        path: z.string().regex(/^\/[A-Za-z0-9/_:.-]*$/, 'must start with / and hold only letters, digits, / _ : . -'),
        auth: z.enum(['public', 'session']).optional(),
        permission: z.string().optional(),
        handler,
      }),
    )
    .optional(),
  jobs: z.array(z.object({ name: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'must be lower-case letters, digits, _ or -'), cron: z.string(), run: handler })).optional(),
  nodes: z.array(z.object({ name: z.string().regex(/^[a-z][a-z0-9_.-]*$/, 'must be lower-case letters, digits, _ . or -'), title: localized, mode: z.enum(['sync', 'async']), run: handler })).optional(),
  admin: z
    .object({
      menus: z
        .array(
          z.object({
            key: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits or -'),
            title: localized,
            path: z.string().regex(/^(\/[a-z0-9][a-z0-9_-]*)+$/, 'must be a console path such as /plugins/erp-rest/stock'),
            permission: z.string().refine(isPermission, 'is not a permission of the catalogue').optional(),
            view: z
              .object({
                route: z.string().regex(/^\/[A-Za-z0-9/_.-]*$/, 'must be the path of a get route without parameters'),
                query: z.array(z.object({ key: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a query-string name'), title: localized, required: z.boolean().optional() })).max(10).optional(),
              })
              .optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});

const duplicates = (values: string[]) => values.filter((value, index) => values.indexOf(value) !== index);

/**
 * Every problem of one manifest, each with its path, so an author sees all of them at once:
 * shape, hook and filter names, duplicate migrations/jobs/nodes, secret keys missing from the
 * settings, and whether this core satisfies `requires.core`.
 */
export function manifestProblems(candidate: unknown, coreVersion: string): ManifestProblem[] {
  const parsed = manifestShape.safeParse(candidate);
  const problems: ManifestProblem[] = parsed.success ? [] : parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(manifest)', message: issue.message }));
  // The checks below read the manifest as far as it is readable, so every problem shows at once.
  const manifest = (typeof candidate === 'object' && candidate !== null ? candidate : {}) as Partial<z.infer<typeof manifestShape>>;
  const keysOf = (value: unknown) => (typeof value === 'object' && value !== null ? Object.keys(value) : []);
  const namesOf = (value: unknown) => (Array.isArray(value) ? value.map((item: { name?: unknown }) => String(item?.name)) : []);
  for (const hook of keysOf(manifest.hooks)) if (!isEventName(hook)) problems.push({ path: `hooks.${hook}`, message: 'is not an event of the EventMap' });
  for (const filter of keysOf(manifest.filters)) if (!isFilterName(filter)) problems.push({ path: `filters.${filter}`, message: 'is not a filter of the FilterMap' });
  for (const name of duplicates(namesOf(manifest.migrations))) problems.push({ path: `migrations.${name}`, message: 'is named twice' });
  for (const name of duplicates(namesOf(manifest.jobs))) problems.push({ path: `jobs.${name}`, message: 'is named twice' });
  for (const name of duplicates(namesOf(manifest.nodes))) problems.push({ path: `nodes.${name}`, message: 'is named twice' });
  if (Array.isArray(manifest.routes)) for (const name of duplicates(manifest.routes.map((r) => `${r?.method} ${r?.path}`))) problems.push({ path: `routes.${name}`, message: 'is declared twice' });
  if (Array.isArray(manifest.jobs)) {
    manifest.jobs.forEach((job, index) => {
      if (typeof job?.cron === 'string' && !cron.validate(job.cron)) problems.push({ path: `jobs.${index}.cron`, message: `"${job.cron}" is not a valid cron expression` });
    });
  }
  if (Array.isArray(manifest.admin?.menus)) {
    const menus = manifest.admin.menus;
    for (const key of duplicates(menus.map((m) => String(m?.key)))) problems.push({ path: `admin.menus.${key}`, message: 'is declared twice' });
    const getRoutes = new Set((Array.isArray(manifest.routes) ? manifest.routes : []).filter((r) => r?.method === 'get').map((r) => r.path));
    menus.forEach((menu, index) => {
      if (typeof menu?.view?.route === 'string' && !getRoutes.has(menu.view.route)) problems.push({ path: `admin.menus.${index}.view.route`, message: `is not a get route of this plugin (${menu.view.route})` });
    });
  }
  const settingKeys = manifest.settings instanceof z.ZodObject ? Object.keys(manifest.settings.shape) : [];
  if (Array.isArray(manifest.secretKeys)) for (const key of manifest.secretKeys) if (!settingKeys.includes(key)) problems.push({ path: `secretKeys.${key}`, message: 'is not a field of the settings schema' });
  const core = manifest.requires?.core;
  if (typeof core === 'string' && semver.validRange(core) && !semver.satisfies(coreVersion, core, { includePrerelease: true })) {
    problems.push({ path: 'requires.core', message: `needs core ${core}; this is ${coreVersion}` });
  }
  return problems;
}

/** Problems with the plugins a plugin requires, once every plugin is known (`available`: name → version). */
export function requiredPluginProblems(definition: PluginDefinition, available: ReadonlyMap<string, string>): ManifestProblem[] {
  return Object.entries(definition.requires.plugins ?? {}).flatMap(([name, range]) => {
    const version = available.get(name);
    if (!version) return [{ path: `requires.plugins.${name}`, message: `needs plugin ${name} ${range}, which is not installed or not valid` }];
    return semver.satisfies(version, range, { includePrerelease: true }) ? [] : [{ path: `requires.plugins.${name}`, message: `needs ${name} ${range}; installed is ${version}` }];
  });
}

export const describeProblems = (problems: ManifestProblem[]) => problems.map((p) => `${p.path}: ${p.message}`).join('; ');
