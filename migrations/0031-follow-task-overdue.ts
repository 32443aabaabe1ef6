import { instant, type MigrationContext } from './helpers';

export const name = '0031-follow-task-overdue';

/** When an open follow-up task's assignee was told it is overdue: once per task (found by the (status, due_at) index). */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.addColumn('engagement_follow_tasks', 'overdue_reminded_at', instant(true));
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.removeColumn('engagement_follow_tasks', 'overdue_reminded_at');
}
