import { instant, type MigrationContext } from './helpers';

export const name = '0019-work-order-accept';

/**
 * When the assignee accepted the current task. A task assigned by the system or a dispatcher waits
 * for acceptance before check-in and completion; a claimed task is accepted by the claim. Tasks
 * already running when this ships count as accepted, so nobody in the field is stopped mid-job.
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.addColumn('work_orders', 'accepted_at', instant(true));
  await qi.sequelize.query('UPDATE work_orders SET accepted_at = node_started_at WHERE assignee_user_id IS NOT NULL');
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.removeColumn('work_orders', 'accepted_at');
}
