import { DataTypes } from 'sequelize';
import { idColumn, instant, longText, reference, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0018-settlement';

const str = (length: number, allowNull = true) => ({ type: DataTypes.STRING(length), allowNull });
const fen = (allowNull = false) => ({ type: DataTypes.BIGINT, allowNull, defaultValue: allowNull ? null : 0 });
const date = (allowNull = false) => ({ type: DataTypes.STRING(10), allowNull });

/**
 * Settlement: payees, effective-dated rule sets, monthly periods, one facts snapshot per finished
 * work order, the priced lines (signed fen) and one statement per payee and closed period. Regions
 * get a tier for tiered rate cards.
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  const json = longText(qi);
  await qi.addColumn('regions', 'tier', str(32));

  await qi.createTable(
    'payees',
    {
      id: idColumn(),
      // technician | dealer | store | company
      kind: str(16, false),
      name: str(100, false),
      user_id: reference('users', true, 'SET NULL'),
      // The store of a store payee, and the store a technician works for (for data scopes).
      store_id: reference('stores', true, 'SET NULL'),
      // The region a dealer serves.
      region_id: reference('regions', true, 'SET NULL'),
      allow_negative_carry: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      // active | inactive
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'active' },
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('payees', ['kind', 'user_id'], { name: 'payees_kind_user' });
  await qi.addIndex('payees', ['kind', 'store_id'], { name: 'payees_kind_store' });
  await qi.addIndex('payees', ['kind', 'region_id', 'status'], { name: 'payees_kind_region' });

  await qi.createTable(
    'settlement_rule_sets',
    {
      id: idColumn(),
      code: str(64, false),
      name: str(100, false),
      payee_kind: str(16, false),
      draft: { type: json, allowNull: false },
      draft_version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('settlement_rule_sets', ['code'], { name: 'settlement_rule_sets_code', unique: true });

  // Published versions are immutable.
  await qi.createTable(
    'settlement_rule_set_versions',
    {
      id: idColumn(),
      rule_set_id: reference('settlement_rule_sets', false, 'RESTRICT'),
      version: { type: DataTypes.INTEGER, allowNull: false },
      effective_from: date(),
      definition: { type: json, allowNull: false },
      published_by: reference('users', true, 'SET NULL'),
      published_at: instant(),
    },
    tableOptions,
  );
  await qi.addIndex('settlement_rule_set_versions', ['rule_set_id', 'version'], { name: 'settlement_rule_set_versions_unique', unique: true });

  await qi.createTable(
    'settlement_periods',
    {
      id: idColumn(),
      code: str(7, false),
      starts_on: date(),
      ends_on: date(),
      // open | closing | closed
      status: str(16, false),
      lines_hash: str(64),
      closed_at: instant(true),
      closed_by: reference('users', true, 'SET NULL'),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('settlement_periods', ['code'], { name: 'settlement_periods_code', unique: true });
  await qi.addIndex('settlement_periods', ['status', 'starts_on'], { name: 'settlement_periods_status' });

  await qi.createTable(
    'settlement_jobs',
    {
      id: idColumn(),
      work_order_id: reference('work_orders', false, 'RESTRICT'),
      period_id: reference('settlement_periods', false, 'RESTRICT'),
      completed_at: instant(),
      completed_on: date(),
      // JSON JobFacts: the input of every (re)computation.
      facts: { type: json, allowNull: false },
      refunded_at: instant(true),
      // Refunded while its period was open: the period's computation leaves it out.
      excluded: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      // sha256 of the job's lines as last written (pricing, close): a close rewrites only jobs whose recomputation differs.
      lines_digest: str(64),
      // The job lines as last written, `id:hash,…` (hash: 16 hex of the line's sha256), so a close
      // rewrites a changed job's lines by primary key without reading them.
      line_keys: { type: DataTypes.TEXT, allowNull: true },
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('settlement_jobs', ['work_order_id'], { name: 'settlement_jobs_work_order', unique: true });
  await qi.addIndex('settlement_jobs', ['period_id', 'id'], { name: 'settlement_jobs_period' });

  await qi.createTable(
    'settlement_complaints',
    {
      id: idColumn(),
      work_order_id: reference('work_orders', false, 'CASCADE'),
      reason: str(500, false),
      created_by: reference('users', true, 'SET NULL'),
      created_at: instant(),
    },
    tableOptions,
  );
  await qi.addIndex('settlement_complaints', ['work_order_id'], { name: 'settlement_complaints_order' });

  // No foreign keys on the hot table: it holds millions of rows. A line is final when its period is
  // closed (derived from the period, so closing never rewrites the lines it keeps).
  await qi.createTable(
    'settlement_lines',
    {
      id: idColumn(),
      period_id: { type: DataTypes.BIGINT, allowNull: false },
      payee_id: { type: DataTypes.BIGINT, allowNull: false },
      work_order_id: { type: DataTypes.BIGINT, allowNull: true },
      rule_set_version_id: { type: DataTypes.BIGINT, allowNull: true },
      rule_key: str(48, false),
      rule_kind: str(16, false),
      // job | rebate | adjustment | reversal
      line_type: str(16, false),
      amount_fen: fen(),
      formula: str(500, false),
      facts_used: { type: DataTypes.TEXT, allowNull: false },
      rounding: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'HALF_UP' },
      corrects_line_id: { type: DataTypes.BIGINT, allowNull: true },
      completed_on: date(true),
      // none | open | resolved
      dispute_status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'none' },
      dispute_comment: str(500),
      dispute_resolution: str(500),
      created_at: instant(),
    },
    tableOptions,
  );
  await qi.addIndex('settlement_lines', ['period_id', 'payee_id'], { name: 'settlement_lines_period_payee' });
  await qi.addIndex('settlement_lines', ['work_order_id'], { name: 'settlement_lines_work_order' });
  // A period's rebates, corrections and disputed lines without scanning its millions of job lines.
  await qi.addIndex('settlement_lines', ['period_id', 'line_type', 'dispute_status'], { name: 'settlement_lines_period_type' });

  await qi.createTable(
    'settlement_statements',
    {
      id: idColumn(),
      period_id: reference('settlement_periods', false, 'RESTRICT'),
      payee_id: reference('payees', false, 'RESTRICT'),
      opening_balance_fen: fen(),
      lines_total_fen: fen(),
      held_fen: fen(),
      payable_fen: fen(),
      carried_fen: fen(),
      // A negative balance the payee may not carry: written off this statement, kept for the record.
      shortfall_fen: fen(),
      line_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      hash: str(64, false),
      created_at: instant(),
    },
    tableOptions,
  );
  await qi.addIndex('settlement_statements', ['period_id', 'payee_id'], { name: 'settlement_statements_unique', unique: true });
  await qi.addIndex('settlement_statements', ['payee_id'], { name: 'settlement_statements_payee' });

  const now = new Date();
  await qi.bulkInsert('payees', [{ kind: 'company', name: '公司', allow_negative_carry: true, status: 'active', created_at: now, updated_at: now }]);
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('settlement_statements');
  await qi.dropTable('settlement_lines');
  await qi.dropTable('settlement_complaints');
  await qi.dropTable('settlement_jobs');
  await qi.dropTable('settlement_periods');
  await qi.dropTable('settlement_rule_set_versions');
  await qi.dropTable('settlement_rule_sets');
  await qi.dropTable('payees');
  await qi.removeColumn('regions', 'tier');
}
