import { createHash, createPublicKey } from 'node:crypto';
import type { FieldCipher } from '../../core/crypto/field-cipher';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { validationFailed } from '../../core/errors';
import type { AuditService } from '../audit/audit.service';
import { parseRsaPrivateKey } from './archive-rsa';

/** The archive's RSA private keys by `publickey_ver`, kept encrypted with the field cipher. */
export function createArchiveKeys(deps: { db: Database; models: Models; cipher: FieldCipher; audit?: AuditService }) {
  const { db, models, cipher, audit } = deps;
  return {
    /** Every key version with its PEM, for decryption (worker side). */
    async load(): Promise<Map<number, string>> {
      const rows = await models.ArchiveKey.findAll({ raw: true });
      return new Map(rows.map((row) => [Number(row.version), cipher.decrypt(row.private_key_enc)]));
    },

    async list(): Promise<Array<{ version: number; fingerprint: string; updatedAt: Date }>> {
      const rows = await models.ArchiveKey.findAll({ attributes: ['version', 'fingerprint', 'updated_at'], order: [['version', 'ASC']], raw: true });
      return rows.map((row) => ({ version: Number(row.version), fingerprint: row.fingerprint, updatedAt: row.updated_at }));
    },

    /** Adds or replaces the key of one version (PKCS#1 or PKCS#8 PEM, RSA only). */
    async put(version: number, pem: string): Promise<{ version: number; fingerprint: string }> {
      let fingerprint: string;
      try {
        const publicDer = createPublicKey(parseRsaPrivateKey(pem)).export({ type: 'spki', format: 'der' });
        fingerprint = createHash('sha256').update(publicDer).digest('hex');
      } catch {
        throw validationFailed([{ path: 'body.privateKey', message: 'not an RSA private key in PEM (PKCS#1 or PKCS#8)' }]);
      }
      await db.transaction(async (tx) => {
        const existing = await models.ArchiveKey.findOne({ where: { version }, transaction: tx, lock: tx.LOCK.UPDATE });
        if (existing) await existing.update({ private_key_enc: cipher.encrypt(pem), fingerprint }, { transaction: tx });
        else await models.ArchiveKey.create({ version, private_key_enc: cipher.encrypt(pem), fingerprint }, { transaction: tx });
        await audit?.record(
          { action: existing ? 'archive.key_replaced' : 'archive.key_added', targetType: 'archive_key', targetId: String(version), before: existing ? { fingerprint: existing.fingerprint } : null, after: { version, fingerprint } },
          tx,
        );
      });
      return { version, fingerprint };
    },
  };
}

export type ArchiveKeys = ReturnType<typeof createArchiveKeys>;
