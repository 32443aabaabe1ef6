import { Op } from 'sequelize';
import { z } from 'zod';
import type { PluginDefinition } from '@scrm/plugin-sdk';
import type { Database } from '../../core/db/database';
import { findPage } from '../../core/db/find-page';
import type { Models } from '../../core/db/models';
import { AppError, notFound, validationFailed } from '../../core/errors';
import type { AuditService } from '../audit/audit.service';
import { maskSecret } from '../settings/settings.service';
import type { PluginHost } from './plugin-host';
import type { PluginState } from './plugin-state';
import type { RolloutMode } from './plugin.models';

const DAY_MS = 86_400_000;

/** Settings as the console sees them: secrets masked (`****abcd`), never sent back in full. */
export function maskedSettings(definition: PluginDefinition, settings: Record<string, unknown>) {
  const secrets = new Set(definition.secretKeys ?? []);
  return Object.fromEntries(Object.entries(settings).map(([key, value]) => [key, secrets.has(key) && typeof value === 'string' ? maskSecret(value) : value]));
}

export const settingsSchemaOf = (definition: PluginDefinition) => (definition.settings ? (z.toJSONSchema(definition.settings, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>) : null);

/** What 插件管理 does: list, enable/disable, roll out per store, settings, failures and replays, uninstall. */
export function createPluginAdmin(deps: { db: Database; models: Models; audit: AuditService; host: PluginHost }) {
  const { db, models, audit, host } = deps;

  const definitionOf = (name: string) => {
    const definition = host.plugins().get(name);
    if (!definition) {
      if (host.discovered.some((p) => p.name === name)) throw new AppError('CONFLICT', `plugin ${name} is invalid; fix its manifest first`);
      throw notFound('plugin', name);
    }
    return definition;
  };

  function checkedSettings(definition: PluginDefinition, candidate: Record<string, unknown>, pathPrefix: string) {
    if (!definition.settings) return {};
    const parsed = definition.settings.safeParse(candidate);
    if (parsed.success) return parsed.data as Record<string, unknown>;
    throw validationFailed(parsed.error.issues.map((issue) => ({ path: [pathPrefix, ...issue.path.map(String)].join('.'), message: issue.message })));
  }

  async function counts() {
    const since = new Date(Date.now() - DAY_MS);
    const [dead, pending, failures] = await Promise.all([
      models.PluginDelivery.count({ where: { status: 'dead' }, group: ['plugin'] }),
      models.PluginDelivery.count({ where: { status: 'pending' }, group: ['plugin'] }),
      models.PluginFailure.count({ where: { at: { [Op.gte]: since } }, group: ['plugin'] }),
    ]);
    const byPlugin = (rows: unknown) => new Map((rows as Array<{ plugin: string; count: number }>).map((r) => [r.plugin, Number(r.count)]));
    return { dead: byPlugin(dead), pending: byPlugin(pending), failures: byPlugin(failures) };
  }

  const view = (state: PluginState | undefined, definition: PluginDefinition) => ({
    enabled: state?.enabled ?? false,
    rollout: state?.rollout ?? { mode: 'all' as RolloutMode, percent: 100, storeIds: [] },
    settings: maskedSettings(definition, state?.settings ?? {}),
    installedVersion: state?.installedVersion ?? null,
  });

  async function change(name: string, action: string, work: (definition: PluginDefinition, before: PluginState) => Promise<Record<string, unknown>>) {
    const definition = definitionOf(name);
    const before = await host.states.fresh(name);
    const after = await work(definition, before);
    return { name, action, ...after };
  }

  return {
    async list() {
      const [states, totals] = await Promise.all([host.states.all(), counts()]);
      return host.discovered.map((found) => {
        const definition = found.definition;
        return {
          name: found.name,
          source: found.source,
          valid: definition !== null,
          problems: found.problems,
          version: definition?.version ?? null,
          title: definition?.title ?? { 'zh-CN': found.name, 'en-US': found.name },
          description: definition?.description ?? null,
          hooks: Object.keys(definition?.hooks ?? {}),
          filters: Object.keys(definition?.filters ?? {}),
          routes: (definition?.routes ?? []).map((r) => ({ method: r.method, path: `/api/plugins/${found.name}${r.path}`, auth: r.auth ?? 'session' })),
          jobs: (definition?.jobs ?? []).map((j) => ({ name: j.name, cron: j.cron })),
          nodes: (definition?.nodes ?? []).map((n) => ({ name: `${found.name}.${n.name}`, mode: n.mode, title: n.title })),
          menus: definition?.admin?.menus ?? [],
          settingsSchema: definition ? settingsSchemaOf(definition) : null,
          secretKeys: definition?.secretKeys ?? [],
          ...(definition ? view(states.get(found.name), definition) : view(undefined, { name: found.name } as PluginDefinition)),
          deadDeliveries: totals.dead.get(found.name) ?? 0,
          pendingDeliveries: totals.pending.get(found.name) ?? 0,
          failures24h: totals.failures.get(found.name) ?? 0,
        };
      });
    },

    /** Enables for the corp: settings must be valid; pending migrations run first. */
    enable: (name: string) =>
      change(name, 'enabled', async (definition, before) => {
        const parsed = definition.settings ? definition.settings.safeParse(before.settings) : { success: true as const, data: {} };
        if (!parsed.success) {
          const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`).join('; ');
          throw new AppError('UNPROCESSABLE', `plugin ${name} needs valid settings before it is enabled (${problems})`);
        }
        const settings = parsed.data as Record<string, unknown>;
        const migrated = await host.migrator.up(definition);
        await db.transaction(async (tx) => {
          await host.states.save(name, { enabled: true, settings, installedVersion: definition.version }, tx);
          await audit.record({ action: 'plugin.enabled', targetType: 'plugin', targetId: name, before: { enabled: before.enabled }, after: { enabled: true, version: definition.version, migrated } }, tx);
        });
        return { enabled: true, migrated };
      }),

    disable: (name: string) =>
      change(name, 'disabled', async (_definition, before) => {
        await db.transaction(async (tx) => {
          await host.states.save(name, { enabled: false }, tx);
          await audit.record({ action: 'plugin.disabled', targetType: 'plugin', targetId: name, before: { enabled: before.enabled }, after: { enabled: false } }, tx);
        });
        return { enabled: false };
      }),

    setRollout: (name: string, rollout: PluginState['rollout']) =>
      change(name, 'rollout', async (_definition, before) => {
        if (rollout.mode === 'stores' && rollout.storeIds.length) {
          const found = await models.Store.count({ where: { id: rollout.storeIds } });
          if (found !== new Set(rollout.storeIds).size) throw validationFailed([{ path: 'body.storeIds', message: 'names a store that does not exist' }]);
        }
        await db.transaction(async (tx) => {
          await host.states.save(name, { rollout }, tx);
          await audit.record({ action: 'plugin.rollout_changed', targetType: 'plugin', targetId: name, before: { ...before.rollout }, after: { ...rollout } }, tx);
        });
        return { rollout };
      }),

    /** Saves settings; a secret sent back masked (or empty) keeps its stored value. */
    saveSettings: (name: string, submitted: Record<string, unknown>) =>
      change(name, 'settings', async (definition, before) => {
        const secrets = new Set(definition.secretKeys ?? []);
        const merged = Object.fromEntries(
          Object.entries(submitted).map(([key, value]) => {
            const keep = secrets.has(key) && (value === '' || value === null || value === undefined || (typeof value === 'string' && value === maskSecret(String(before.settings[key] ?? ''))));
            return [key, keep ? before.settings[key] : value];
          }),
        );
        const settings = checkedSettings(definition, merged, 'body.settings');
        await db.transaction(async (tx) => {
          await host.states.save(name, { settings }, tx);
          await audit.record({ action: 'plugin.settings_updated', targetType: 'plugin', targetId: name, before: maskedSettings(definition, before.settings), after: maskedSettings(definition, settings) }, tx);
        });
        return { settings: maskedSettings(definition, settings) };
      }),

    /** Removes the plugin's tables (its migrations run down); only while it is disabled. */
    uninstall: (name: string) =>
      change(name, 'uninstalled', async (definition, before) => {
        if (before.enabled) throw new AppError('CONFLICT', `disable plugin ${name} before removing its data`);
        const reverted = await host.migrator.down(definition);
        await db.transaction(async (tx) => {
          await host.states.save(name, { installedVersion: null }, tx);
          await audit.record({ action: 'plugin.uninstalled', targetType: 'plugin', targetId: name, after: { reverted } }, tx);
        });
        return { reverted };
      }),

    async failures(name: string, range: { offset: number; limit: number }) {
      const [deliveries, failures] = await Promise.all([
        findPage(models.PluginDelivery, { where: { plugin: name, status: { [Op.in]: ['dead', 'pending', 'skipped'] } }, order: [['id', 'DESC']], offset: range.offset, limit: range.limit, raw: true }),
        models.PluginFailure.findAll({ where: { plugin: name }, order: [['id', 'DESC']], limit: range.limit, raw: true }),
      ]);
      return {
        deliveries: deliveries.rows.map((d) => ({ id: Number(d.id), eventId: Number(d.event_id), event: d.event, status: d.status, attempts: Number(d.attempts), replays: Number(d.replays), lastError: d.last_error, updatedAt: new Date(d.updated_at).toISOString() })),
        deliveriesTotal: deliveries.count,
        failures: failures.map((f) => ({ id: Number(f.id), kind: f.kind, target: f.target, error: f.error, at: new Date(f.at).toISOString() })),
      };
    },

    async replay(name: string, deliveryId: number) {
      const delivery = await models.PluginDelivery.findOne({ where: { id: deliveryId, plugin: name }, raw: true });
      if (!delivery) throw notFound('delivery', deliveryId);
      await db.transaction(async (tx) => {
        if (!(await host.deliveries.replay(deliveryId, tx))) throw new AppError('CONFLICT', `delivery ${deliveryId} is ${delivery.status}; only dead or skipped deliveries can be replayed`);
        await audit.record({ action: 'plugin.delivery_replayed', targetType: 'plugin', targetId: name, after: { deliveryId, event: delivery.event } }, tx);
      });
      return { replayed: true };
    },
  };
}

export type PluginAdmin = ReturnType<typeof createPluginAdmin>;
