import type { Transaction } from 'sequelize';
import type { FieldCipher } from '../../core/crypto/field-cipher';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { AuditService } from '../audit/audit.service';

export interface SettingChange {
  key: string;
  value: string | null;
  secret: boolean;
}

/** How a stored secret is shown anywhere (console, audit trail): only its last four characters. */
export const maskSecret = (value: string | null) => (value ? `${'*'.repeat(Math.max(0, Math.min(8, value.length - 4)))}${value.slice(-4)}` : null);

/** Key-value settings edited in the console. Secret values are encrypted at rest and masked in the audit trail. */
export function createSettingsService(deps: { db: Database; models: Models; audit: AuditService; cipher: FieldCipher }) {
  const { db, models, audit, cipher } = deps;

  async function read(keys: readonly string[]): Promise<Map<string, string | null>> {
    const rows = await models.Setting.findAll({ where: { key: [...keys] }, raw: true });
    return new Map(rows.map((row) => [row.key, row.value && row.secret ? cipher.decrypt(row.value) : row.value]));
  }

  return {
    read,

    async write(changes: SettingChange[], actorId: number | null, tx?: Transaction): Promise<void> {
      const apply = async (t: Transaction) => {
        const before = await read(changes.map((c) => c.key));
        for (const change of changes) {
          const stored = change.value && change.secret ? cipher.encrypt(change.value) : change.value;
          await models.Setting.upsert({ key: change.key, value: stored, secret: change.secret, updated_by: actorId, updated_at: new Date() }, { transaction: t });
        }
        const view = (value: string | null | undefined, secret: boolean) => (secret ? maskSecret(value ?? null) : (value ?? null));
        await audit.record(
          {
            action: 'settings.updated',
            targetType: 'settings',
            targetId: changes.map((c) => c.key).join(',').slice(0, 64),
            before: Object.fromEntries(changes.map((c) => [c.key, view(before.get(c.key), c.secret)])),
            after: Object.fromEntries(changes.map((c) => [c.key, view(c.value, c.secret)])),
          },
          t,
        );
      };
      if (tx) await apply(tx);
      else await db.transaction(apply);
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
