import { DataTypes } from 'sequelize';
import { idColumn, instant, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0017-calendars-timers';

const str = (length: number, allowNull = true) => ({ type: DataTypes.STRING(length), allowNull });

/** The working hours of the seeded calendar: Monday to Friday, 09:00–18:00. */
const officeHours = JSON.stringify(Object.fromEntries(['1', '2', '3', '4', '5'].map((day) => [day, [['09:00', '18:00']]])));

/**
 * Business calendars (working hours per weekday, Chinese public holidays and make-up workdays,
 * extra dates) and durable timers: one row per reminder or escalation, scanned by due time.
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable(
    'business_calendars',
    {
      id: idColumn(),
      code: str(64, false),
      name: str(100, false),
      time_zone: { type: DataTypes.STRING(64), allowNull: false, defaultValue: 'Asia/Shanghai' },
      // JSON: { "1": [["09:00","12:00"],["13:00","18:00"]], … } with 0 = Sunday … 6 = Saturday
      working_hours: { type: DataTypes.TEXT, allowNull: false },
      chinese_holidays: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      // JSON arrays of YYYY-MM-DD
      extra_holidays: { type: DataTypes.TEXT, allowNull: false },
      extra_workdays: { type: DataTypes.TEXT, allowNull: false },
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('business_calendars', ['code'], { name: 'business_calendars_code', unique: true });

  await qi.createTable(
    'timers',
    {
      id: idColumn(),
      kind: str(64, false),
      subject_type: str(64, false),
      subject_id: str(64, false),
      due_at: instant(),
      // pending | paused | fired | cancelled | failed
      status: str(16, false),
      payload: { type: DataTypes.TEXT, allowNull: true },
      paused_at: instant(true),
      dedupe_key: str(191),
      fired_at: instant(true),
      fired_by: str(64),
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      last_error: { type: DataTypes.TEXT, allowNull: true },
      ...timestamps(),
    },
    tableOptions,
  );
  // The due-scan reads `status = 'pending' AND due_at <= now ORDER BY due_at` through this index only.
  await qi.addIndex('timers', ['status', 'due_at'], { name: 'timers_status_due' });
  await qi.addIndex('timers', ['subject_type', 'subject_id', 'status'], { name: 'timers_subject' });
  await qi.addIndex('timers', ['dedupe_key'], { name: 'timers_dedupe_key', unique: true });

  const now = new Date();
  await qi.bulkInsert('business_calendars', [
    {
      code: 'default',
      name: '默认工作日历',
      time_zone: 'Asia/Shanghai',
      working_hours: officeHours,
      chinese_holidays: true,
      extra_holidays: '[]',
      extra_workdays: '[]',
      created_at: now,
      updated_at: now,
    },
  ]);
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('timers');
  await qi.dropTable('business_calendars');
}
