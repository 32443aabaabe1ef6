import { createHash } from 'node:crypto';
import type { Transaction } from 'sequelize';
import type { FieldCipher } from '../../core/crypto/field-cipher';
import type { PluginModels, PluginStateRow, RolloutMode } from './plugin.models';

export interface PluginState {
  name: string;
  enabled: boolean;
  rollout: { mode: RolloutMode; percent: number; storeIds: number[] };
  /** Stored settings with secrets decrypted (not yet validated by the plugin's schema). */
  settings: Record<string, unknown>;
  installedVersion: string | null;
}

const CACHE_MS = 1000;

/** A store's place in 0..99 for one plugin: stable, and different plugins roll out to different stores first. */
export const rolloutBucket = (plugin: string, storeId: number) => createHash('sha256').update(`${plugin}:${storeId}`).digest().readUInt32BE(0) % 100;

export function storeAllowed(state: PluginState, storeId: number | null): boolean {
  if (!state.enabled) return false;
  if (storeId === null || state.rollout.mode === 'all') return true;
  if (state.rollout.mode === 'stores') return state.rollout.storeIds.includes(storeId);
  return rolloutBucket(state.name, storeId) < state.rollout.percent;
}

const disabled = (name: string): PluginState => ({ name, enabled: false, rollout: { mode: 'all', percent: 100, storeIds: [] }, settings: {}, installedVersion: null });

/**
 * Each plugin's state row. Hot paths (filters, routes) read through a one-second cache, so a change
 * made on another instance applies within a second; deliveries and the console read fresh.
 */
export function createPluginStates(deps: { models: PluginModels; cipher: FieldCipher; secretKeysOf: (plugin: string) => string[] }) {
  const { models, cipher } = deps;
  const cache = new Map<string, { at: number; state: Promise<PluginState> }>();

  function stateOf(row: PluginStateRow | null, name: string): PluginState {
    if (!row) return disabled(name);
    const stored = row.settings ? (JSON.parse(row.settings) as Record<string, unknown>) : {};
    const secrets = new Set(deps.secretKeysOf(name));
    const settings = Object.fromEntries(Object.entries(stored).map(([key, value]) => [key, secrets.has(key) && typeof value === 'string' && value ? cipher.decrypt(value) : value]));
    return {
      name,
      enabled: Boolean(row.enabled),
      rollout: { mode: row.rollout_mode, percent: Number(row.rollout_percent), storeIds: row.rollout_store_ids ? (JSON.parse(row.rollout_store_ids) as number[]) : [] },
      settings,
      installedVersion: row.installed_version,
    };
  }

  async function fresh(name: string, tx?: Transaction): Promise<PluginState> {
    return stateOf(await models.PluginState.findOne({ where: { name }, raw: true, transaction: tx }), name);
  }

  return {
    fresh,

    cached(name: string): Promise<PluginState> {
      const hit = cache.get(name);
      if (hit && Date.now() - hit.at < CACHE_MS) return hit.state;
      const state = fresh(name);
      cache.set(name, { at: Date.now(), state });
      state.catch(() => cache.delete(name));
      return state;
    },

    async all(): Promise<Map<string, PluginState>> {
      const rows = await models.PluginState.findAll({ raw: true });
      return new Map(rows.map((row) => [row.name, stateOf(row, row.name)]));
    },

    /** Writes the given columns (creating the row), with secrets encrypted. */
    async save(name: string, changes: { enabled?: boolean; rollout?: PluginState['rollout']; settings?: Record<string, unknown>; installedVersion?: string | null }, tx: Transaction): Promise<void> {
      const secrets = new Set(deps.secretKeysOf(name));
      const columns: Partial<PluginStateRow> = {
        ...(changes.enabled !== undefined && { enabled: changes.enabled }),
        ...(changes.rollout && { rollout_mode: changes.rollout.mode, rollout_percent: changes.rollout.percent, rollout_store_ids: JSON.stringify(changes.rollout.storeIds) }),
        ...(changes.settings && {
          settings: JSON.stringify(Object.fromEntries(Object.entries(changes.settings).map(([key, value]) => [key, secrets.has(key) && typeof value === 'string' && value ? cipher.encrypt(value) : value]))),
        }),
        ...(changes.installedVersion !== undefined && { installed_version: changes.installedVersion }),
      };
      const existing = await models.PluginState.findOne({ where: { name }, transaction: tx, lock: tx.LOCK.UPDATE });
      if (existing) await existing.update(columns, { transaction: tx });
      else await models.PluginState.create({ name, enabled: false, rollout_mode: 'all', rollout_percent: 100, ...columns }, { transaction: tx });
      tx.afterCommit(() => void cache.delete(name));
    },
  };
}

export type PluginStates = ReturnType<typeof createPluginStates>;
