import { DataTypes } from 'sequelize';
import { idColumn, instant, longText, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0024-chat-archive';

const str = (length: number, allowNull = true) => ({ type: DataTypes.STRING(length), allowNull });

/**
 * The chat archive (会话内容存档): messages pulled from WeCom's Finance SDK, stored once per msgid;
 * our own inverted index (token → message ids) for Chinese and Latin search on every database; the
 * pull cursor (committed with each batch); RSA private keys by version (encrypted); consent per
 * customer; media; compliance rules and alerts.
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable(
    'archive_messages',
    {
      id: idColumn(),
      msgid: str(128, false),
      seq: { type: DataTypes.BIGINT, allowNull: false },
      // stored | parked (no private key for its publickey_ver yet: kept encrypted until the key is added)
      status: str(16, false),
      msgtype: str(32),
      action: str(16),
      from_id: str(64),
      // JSON array of userids / external_userids
      to_ids: { type: DataTypes.TEXT, allowNull: true },
      room_id: str(64),
      // the external contact of a one-to-one chat, its customer and the store the message is scoped to
      external_userid: str(64),
      customer_id: { type: DataTypes.BIGINT, allowNull: true },
      employee_userid: str(64),
      store_id: { type: DataTypes.BIGINT, allowNull: true },
      msg_time: instant(true),
      // what search reads: the message's text (content, file name, link title…)
      text: { type: DataTypes.TEXT, allowNull: true },
      payload: { type: longText(qi), allowNull: true },
      publickey_ver: { type: DataTypes.INTEGER, allowNull: false },
      encrypt_random_key: { type: DataTypes.TEXT, allowNull: true },
      encrypt_chat_msg: { type: longText(qi), allowNull: true },
      revoked_at: instant(true),
      created_at: instant(),
    },
    tableOptions,
  );
  await qi.addIndex('archive_messages', ['msgid'], { name: 'archive_messages_msgid', unique: true });
  await qi.addIndex('archive_messages', ['status', 'publickey_ver'], { name: 'archive_messages_status' });
  await qi.addIndex('archive_messages', ['customer_id', 'msg_time'], { name: 'archive_messages_customer' });
  await qi.addIndex('archive_messages', ['room_id', 'msg_time'], { name: 'archive_messages_room' });
  await qi.addIndex('archive_messages', ['msg_time'], { name: 'archive_messages_time' });

  // Postings: one row per (token, message). Binary collation: tokens are already normalised.
  await qi.createTable(
    'archive_tokens',
    {
      token: { type: DataTypes.STRING(32).BINARY, allowNull: false, primaryKey: true },
      message_id: { type: DataTypes.BIGINT, allowNull: false, primaryKey: true },
    },
    tableOptions,
  );
  await qi.addIndex('archive_tokens', ['message_id'], { name: 'archive_tokens_message' });

  await qi.createTable(
    'archive_cursors',
    {
      id: idColumn(),
      corp_id: str(64, false),
      last_seq: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      messages_stored: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      last_batch_at: instant(true),
      // the last batch, for the status page: its size, how long it took, and its newest message time (lag)
      last_batch_messages: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      last_batch_ms: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      last_msg_time: instant(true),
      last_error: str(1000),
      last_error_at: instant(true),
      // set by a msgaudit_notify callback: the worker (another process) checks it to pull at once
      notified_at: instant(true),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('archive_cursors', ['corp_id'], { name: 'archive_cursors_corp', unique: true });

  await qi.createTable(
    'archive_keys',
    {
      id: idColumn(),
      version: { type: DataTypes.INTEGER, allowNull: false },
      // PEM (PKCS#1 or PKCS#8), encrypted with the field cipher
      private_key_enc: { type: DataTypes.TEXT, allowNull: false },
      fingerprint: str(64, false),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('archive_keys', ['version'], { name: 'archive_keys_version', unique: true });

  await qi.createTable(
    'archive_consents',
    {
      id: idColumn(),
      external_userid: str(64, false),
      // agreed | disagreed
      status: str(16, false),
      changed_at: instant(),
      msgid: str(128, false),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('archive_consents', ['external_userid'], { name: 'archive_consents_customer', unique: true });

  await qi.createTable(
    'archive_media',
    {
      id: idColumn(),
      msgid: str(128, false),
      sdkfileid: { type: DataTypes.TEXT, allowNull: false },
      msgtype: str(32, false),
      md5: str(32),
      size: { type: DataTypes.BIGINT, allowNull: true },
      // pending (eager, to fetch) | lazy (fetched when asked for) | stored | failed | too_large
      status: str(16, false),
      storage_key: str(255),
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      error: str(255),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('archive_media', ['msgid'], { name: 'archive_media_msgid', unique: true });
  await qi.addIndex('archive_media', ['status'], { name: 'archive_media_status' });
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('archive_media');
  await qi.dropTable('archive_consents');
  await qi.dropTable('archive_keys');
  await qi.dropTable('archive_cursors');
  await qi.dropTable('archive_tokens');
  await qi.dropTable('archive_messages');
}
