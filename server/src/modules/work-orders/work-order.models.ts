import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../../core/db/define-table';

export const workOrderStatuses = ['open', 'waiting_customer', 'waiting_parts', 'done', 'cancelled'] as const;
export type WorkOrderStatus = (typeof workOrderStatuses)[number];
/** Statuses that stop the current node's clock. */
export const pausingStatuses: readonly WorkOrderStatus[] = ['waiting_customer', 'waiting_parts'];

export const workOrderEventTypes = [
  'created',
  'node_entered',
  'assigned',
  'claimed',
  'accepted',
  'completed',
  'transitioned',
  'commented',
  'checked_in',
  'paused',
  'resumed',
  'reminded',
  'escalated',
  'reassigned',
  'migrated',
  'cancelled',
  // asynchronous automatic steps (see work-order-step-runs.ts)
  'auto_started',
  'auto_failed',
  'auto_retried',
  'auto_skipped',
  'compensated',
] as const;
export type WorkOrderEventType = (typeof workOrderEventTypes)[number];

export const attachmentKinds = ['photo', 'signature', 'file'] as const;
export type AttachmentKind = (typeof attachmentKinds)[number];

export interface WorkOrderRow extends Timestamps {
  id: number;
  order_no: string;
  flow_id: number;
  flow_version_id: number;
  current_node_key: string | null;
  status: WorkOrderStatus;
  title: string | null;
  customer_id: number | null;
  store_id: number;
  address_enc: string | null;
  address_bidx: string | null;
  lat: number | null;
  lng: number | null;
  products: string | null;
  service_items: string | null;
  source_channel: string;
  priority: string;
  amount_fen: number;
  assignee_user_id: number | null;
  /** When the assignee accepted the current task; null while an assigned task waits for acceptance. */
  accepted_at: Date | null;
  pool_role_code: string | null;
  node_started_at: Date | null;
  node_due_at: Date | null;
  paused_at: Date | null;
  lock_version: number;
  created_by: number | null;
  closed_at: Date | null;
}

export interface WorkOrderEventRow {
  id: number;
  work_order_id: number;
  type: WorkOrderEventType;
  node_key: string | null;
  actor_user_id: number | null;
  payload: string | null;
  dedupe_key: string | null;
  created_at: Date;
}

export interface WorkOrderCommentRow extends Timestamps {
  id: number;
  work_order_id: number;
  author_user_id: number | null;
  body: string;
}

export interface WorkOrderAttachmentRow extends Timestamps {
  id: number;
  work_order_id: number;
  node_key: string | null;
  kind: AttachmentKind;
  storage_key: string;
  file_name: string;
  content_type: string;
  size: number;
  captured_at: Date | null;
  lat: number | null;
  lng: number | null;
  uploaded_by: number | null;
}

export interface IdempotencyKeyRow {
  id: number;
  idem_key: string;
  user_id: number;
  route: string;
  status_code: number;
  response: string;
  created_at: Date;
}

export const stepRunStatuses = ['pending', 'running', 'succeeded', 'failed', 'skipped', 'cancelled', 'compensating', 'compensated'] as const;
export type StepRunStatus = (typeof stepRunStatuses)[number];

/** One visit of an order to an asynchronous automatic node. */
export interface WorkOrderStepRunRow extends Timestamps {
  id: number;
  work_order_id: number;
  node_key: string;
  visit: number;
  step: string;
  status: StepRunStatus;
  attempts: number;
  max_attempts: number;
  result: string | null;
  last_error: string | null;
  finished_at: Date | null;
}

export interface TechnicianProfileRow extends Timestamps {
  id: number;
  user_id: number;
  skills: string | null;
  last_lat: number | null;
  last_lng: number | null;
  last_located_at: Date | null;
  available: boolean;
}

export interface AssignmentCursorRow extends Timestamps {
  id: number;
  cursor_key: string;
  last_user_id: number;
}

export interface WorkOrderMigrationRow extends Timestamps {
  id: number;
  from_version_id: number;
  to_version_id: number;
  filter: string;
  node_mapping: string;
  status: 'running' | 'done' | 'failed';
  total: number;
  migrated: number;
  skipped: number;
  cursor_id: number;
  error: string | null;
  created_by: number | null;
  finished_at: Date | null;
}

/** Store staff see their store's orders; a technician (`self`) the orders assigned to them. */
export const workOrderScope = { store: 'store_id', owner: 'assignee_user_id' } as const;

type Generated = 'id' | 'created_at' | 'updated_at';
const coordinate = DataTypes.DOUBLE;

export function defineWorkOrderModels(sequelize: Sequelize) {
  return {
    WorkOrder: defineTable<
      WorkOrderRow,
      Generated | 'current_node_key' | 'title' | 'customer_id' | 'address_enc' | 'address_bidx' | 'lat' | 'lng' | 'products' | 'service_items' | 'amount_fen' | 'assignee_user_id' | 'accepted_at' | 'pool_role_code' | 'node_started_at' | 'node_due_at' | 'paused_at' | 'lock_version' | 'created_by' | 'closed_at'
    >(sequelize, 'work_orders', {
      id,
      order_no: DataTypes.STRING(32),
      flow_id: DataTypes.BIGINT,
      flow_version_id: DataTypes.BIGINT,
      current_node_key: DataTypes.STRING(48),
      status: DataTypes.STRING(24),
      title: DataTypes.STRING(128),
      customer_id: DataTypes.BIGINT,
      store_id: DataTypes.BIGINT,
      address_enc: DataTypes.TEXT,
      address_bidx: DataTypes.STRING(64),
      lat: coordinate,
      lng: coordinate,
      products: DataTypes.TEXT,
      service_items: DataTypes.TEXT,
      source_channel: DataTypes.STRING(32),
      priority: DataTypes.STRING(16),
      amount_fen: DataTypes.BIGINT,
      assignee_user_id: DataTypes.BIGINT,
      accepted_at: DataTypes.DATE(3),
      pool_role_code: DataTypes.STRING(64),
      node_started_at: DataTypes.DATE(3),
      node_due_at: DataTypes.DATE(3),
      paused_at: DataTypes.DATE(3),
      lock_version: DataTypes.INTEGER,
      created_by: DataTypes.BIGINT,
      closed_at: DataTypes.DATE(3),
    }),
    WorkOrderEvent: defineTable<WorkOrderEventRow, 'id' | 'node_key' | 'actor_user_id' | 'payload' | 'dedupe_key'>(
      sequelize,
      'work_order_events',
      {
        id,
        work_order_id: DataTypes.BIGINT,
        type: DataTypes.STRING(24),
        node_key: DataTypes.STRING(48),
        actor_user_id: DataTypes.BIGINT,
        payload: DataTypes.TEXT,
        dedupe_key: DataTypes.STRING(191),
        created_at: DataTypes.DATE(3),
      },
      { timestamps: false },
    ),
    WorkOrderComment: defineTable<WorkOrderCommentRow, Generated | 'author_user_id'>(sequelize, 'work_order_comments', {
      id,
      work_order_id: DataTypes.BIGINT,
      author_user_id: DataTypes.BIGINT,
      body: DataTypes.TEXT,
    }),
    WorkOrderAttachment: defineTable<WorkOrderAttachmentRow, Generated | 'node_key' | 'captured_at' | 'lat' | 'lng' | 'uploaded_by'>(sequelize, 'work_order_attachments', {
      id,
      work_order_id: DataTypes.BIGINT,
      node_key: DataTypes.STRING(48),
      kind: DataTypes.STRING(16),
      storage_key: DataTypes.STRING(255),
      file_name: DataTypes.STRING(255),
      content_type: DataTypes.STRING(128),
      size: DataTypes.BIGINT,
      captured_at: DataTypes.DATE(3),
      lat: coordinate,
      lng: coordinate,
      uploaded_by: DataTypes.BIGINT,
    }),
    IdempotencyKey: defineTable<IdempotencyKeyRow, 'id'>(
      sequelize,
      'idempotency_keys',
      { id, idem_key: DataTypes.STRING(128), user_id: DataTypes.BIGINT, route: DataTypes.STRING(128), status_code: DataTypes.INTEGER, response: DataTypes.TEXT, created_at: DataTypes.DATE(3) },
      { timestamps: false },
    ),
    TechnicianProfile: defineTable<TechnicianProfileRow, Generated | 'skills' | 'last_lat' | 'last_lng' | 'last_located_at' | 'available'>(sequelize, 'technician_profiles', {
      id,
      user_id: DataTypes.BIGINT,
      skills: DataTypes.TEXT,
      last_lat: coordinate,
      last_lng: coordinate,
      last_located_at: DataTypes.DATE(3),
      available: DataTypes.BOOLEAN,
    }),
    WorkOrderStepRun: defineTable<WorkOrderStepRunRow, Generated | 'attempts' | 'result' | 'last_error' | 'finished_at'>(sequelize, 'work_order_step_runs', {
      id,
      work_order_id: DataTypes.BIGINT,
      node_key: DataTypes.STRING(48),
      visit: DataTypes.INTEGER,
      step: DataTypes.STRING(64),
      status: DataTypes.STRING(16),
      attempts: DataTypes.INTEGER,
      max_attempts: DataTypes.INTEGER,
      result: DataTypes.TEXT,
      last_error: DataTypes.STRING(1000),
      finished_at: DataTypes.DATE(3),
    }),
    AssignmentCursor: defineTable<AssignmentCursorRow, Generated>(sequelize, 'assignment_cursors', { id, cursor_key: DataTypes.STRING(128), last_user_id: DataTypes.BIGINT }),
    WorkOrderMigration: defineTable<WorkOrderMigrationRow, Generated | 'total' | 'migrated' | 'skipped' | 'cursor_id' | 'error' | 'created_by' | 'finished_at'>(sequelize, 'work_order_migrations', {
      id,
      from_version_id: DataTypes.BIGINT,
      to_version_id: DataTypes.BIGINT,
      filter: DataTypes.TEXT,
      node_mapping: DataTypes.TEXT,
      status: DataTypes.STRING(16),
      total: DataTypes.INTEGER,
      migrated: DataTypes.INTEGER,
      skipped: DataTypes.INTEGER,
      cursor_id: DataTypes.BIGINT,
      error: DataTypes.STRING(1000),
      created_by: DataTypes.BIGINT,
      finished_at: DataTypes.DATE(3),
    }),
  };
}

export type WorkOrderModels = ReturnType<typeof defineWorkOrderModels>;
