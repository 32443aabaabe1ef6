import { DataTypes } from 'sequelize';
import { idColumn, instant, reference, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0023-async-steps';

const str = (length: number, allowNull = true) => ({ type: DataTypes.STRING(length), allowNull });

/**
 * Runs of asynchronous automatic steps: one row per visit of an order to an `auto` node whose step
 * calls the outside world (an ERP reservation). The order waits at the node while the row is
 * pending; a background job runs the step, retries it, and parks it as failed for an admin to retry
 * or skip. The result is kept so the step can be undone (compensated) if the order is cancelled.
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable(
    'work_order_step_runs',
    {
      id: idColumn(),
      work_order_id: reference('work_orders', false, 'CASCADE'),
      node_key: str(48, false),
      // 1 for the first time the order enters the node, 2 when a loop brings it back, …
      visit: { type: DataTypes.INTEGER, allowNull: false },
      step: str(64, false),
      // pending | running | succeeded | failed | skipped | cancelled | compensating | compensated
      status: str(16, false),
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      max_attempts: { type: DataTypes.INTEGER, allowNull: false },
      // JSON: what the step returned (what compensation needs to undo it)
      result: { type: DataTypes.TEXT, allowNull: true },
      last_error: str(1000),
      finished_at: instant(true),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('work_order_step_runs', ['work_order_id', 'node_key', 'visit'], { name: 'work_order_step_runs_visit', unique: true });
  await qi.addIndex('work_order_step_runs', ['status', 'updated_at'], { name: 'work_order_step_runs_status' });
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('work_order_step_runs');
}
