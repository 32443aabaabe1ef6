import { DataTypes } from 'sequelize';
import { idColumn, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0028-journey-stages';

const str = (length: number, allowNull = true) => ({ type: DataTypes.STRING(length), allowNull });

/** The funnel a new installation starts with: added → replied in a chat → first order → second order. */
const defaultStages = [
  { name_zh: '添加好友', name_en: 'Added', event_type: 'customer_added', event_config: {} },
  { name_zh: '互动', name_en: 'Engaged', event_type: 'first_message', event_config: { from: 'customer' } },
  { name_zh: '下单', name_en: 'First order', event_type: 'order_created', event_config: { nth: 1 } },
  { name_zh: '复购', name_en: 'Repeat order', event_type: 'order_created', event_config: { nth: 2 } },
];

/**
 * Customer journey (客户旅程): the ordered stages of the funnel, each defined by one event type of a
 * fixed catalogue (customer added, first chat message, tag added, stage reached, N-th order, work
 * order completed) and its settings.
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable(
    'engagement_journey_stages',
    {
      id: idColumn(),
      name_zh: str(32, false),
      name_en: str(32),
      // customer_added | first_message | tag_added | stage_reached | order_created | work_order_completed
      event_type: str(32, false),
      // JSON: the event's settings ({ from }, { tagId }, { stage }, { nth }); see journey-catalogue
      event_config: { type: DataTypes.TEXT, allowNull: false },
      // ascending: the funnel's order
      sort_order: { type: DataTypes.INTEGER, allowNull: false },
      ...timestamps(),
    },
    tableOptions,
  );
  const now = new Date();
  await qi.bulkInsert(
    'engagement_journey_stages',
    defaultStages.map((stage, index) => ({ ...stage, event_config: JSON.stringify(stage.event_config), sort_order: index + 1, created_at: now, updated_at: now })),
  );
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('engagement_journey_stages');
}
