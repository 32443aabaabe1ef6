import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../../core/db/define-table';

export const rolloutModes = ['all', 'percent', 'stores'] as const;
export type RolloutMode = (typeof rolloutModes)[number];
export const deliveryStatuses = ['pending', 'done', 'dead', 'skipped'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];
export const failureKinds = ['hook', 'filter', 'route', 'job', 'node'] as const;
export type FailureKind = (typeof failureKinds)[number];

export interface PluginStateRow extends Timestamps {
  id: number;
  name: string;
  enabled: boolean;
  rollout_mode: RolloutMode;
  rollout_percent: number;
  /** JSON array of store ids (rollout_mode = stores). */
  rollout_store_ids: string | null;
  /** JSON object; secret values are ciphertext. */
  settings: string | null;
  installed_version: string | null;
}

export interface PluginMigrationRow {
  id: number;
  plugin: string;
  name: string;
  applied_at: Date;
}

export interface OutboxEventRow {
  id: number;
  event: string;
  payload: string;
  store_id: number | null;
  occurred_at: Date;
  status: 'pending' | 'dispatched';
}

export interface PluginDeliveryRow extends Timestamps {
  id: number;
  event_id: number;
  plugin: string;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  replays: number;
  last_error: string | null;
  delivered_at: Date | null;
}

export interface PluginFailureRow {
  id: number;
  plugin: string;
  kind: FailureKind;
  target: string;
  error: string;
  at: Date;
}

export function definePluginModels(sequelize: Sequelize) {
  const noTimestamps = { timestamps: false };
  return {
    PluginState: defineTable<PluginStateRow, 'id' | 'created_at' | 'updated_at' | 'rollout_store_ids' | 'settings' | 'installed_version'>(sequelize, 'plugin_states', {
      id,
      name: DataTypes.STRING(64),
      enabled: DataTypes.BOOLEAN,
      rollout_mode: DataTypes.STRING(16),
      rollout_percent: DataTypes.INTEGER,
      rollout_store_ids: DataTypes.TEXT,
      settings: DataTypes.TEXT,
      installed_version: DataTypes.STRING(32),
    }),
    PluginMigration: defineTable<PluginMigrationRow, 'id'>(sequelize, 'plugin_migrations', { id, plugin: DataTypes.STRING(64), name: DataTypes.STRING(128), applied_at: DataTypes.DATE(3) }, noTimestamps),
    OutboxEvent: defineTable<OutboxEventRow, 'id'>(
      sequelize,
      'outbox_events',
      { id, event: DataTypes.STRING(64), payload: DataTypes.TEXT, store_id: DataTypes.BIGINT, occurred_at: DataTypes.DATE(3), status: DataTypes.STRING(16) },
      noTimestamps,
    ),
    PluginDelivery: defineTable<PluginDeliveryRow, 'id' | 'created_at' | 'updated_at' | 'attempts' | 'replays' | 'last_error' | 'delivered_at'>(sequelize, 'plugin_deliveries', {
      id,
      event_id: DataTypes.BIGINT,
      plugin: DataTypes.STRING(64),
      event: DataTypes.STRING(64),
      status: DataTypes.STRING(16),
      attempts: DataTypes.INTEGER,
      replays: DataTypes.INTEGER,
      last_error: DataTypes.TEXT,
      delivered_at: DataTypes.DATE(3),
    }),
    PluginFailure: defineTable<PluginFailureRow, 'id'>(
      sequelize,
      'plugin_failures',
      { id, plugin: DataTypes.STRING(64), kind: DataTypes.STRING(16), target: DataTypes.STRING(128), error: DataTypes.TEXT, at: DataTypes.DATE(3) },
      noTimestamps,
    ),
  };
}

export type PluginModels = ReturnType<typeof definePluginModels>;
