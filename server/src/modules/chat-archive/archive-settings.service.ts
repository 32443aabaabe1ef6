import type { AppConfig } from '../../config/load-config';
import { maskSecret, type SettingChange, type SettingsService } from '../settings/settings.service';

export const archiveSettingKeys = { secret: 'archive.secret', sdkPath: 'archive.sdk_path', retentionDays: 'archive.retention_days', consentRequired: 'archive.consent_required' } as const;

export interface ArchiveSettingsView {
  /** Masked (last four characters) or null; never the secret itself. */
  secret: string | null;
  secretFromEnv: boolean;
  sdkPath: string | null;
  sdkPathFromEnv: boolean;
  /** 0 keeps messages forever. */
  retentionDays: number;
  consentRequired: boolean;
}

export interface ArchiveSettingsPatch {
  secret?: string;
  sdkPath?: string | null;
  retentionDays?: number;
  consentRequired?: boolean;
}

/** Archive settings: environment values win (and are read-only in the console), else the console's, secret encrypted. */
export function createArchiveSettings(deps: { settings: SettingsService; config: Pick<AppConfig, 'WECOM_FINANCE_SDK_PATH' | 'WECOM_ARCHIVE_SECRET'> }) {
  const { settings, config } = deps;
  const keys = Object.values(archiveSettingKeys);

  async function effective() {
    const stored = await settings.read(keys);
    return {
      secret: config.WECOM_ARCHIVE_SECRET ?? stored.get(archiveSettingKeys.secret) ?? null,
      sdkPath: config.WECOM_FINANCE_SDK_PATH ?? stored.get(archiveSettingKeys.sdkPath) ?? null,
      retentionDays: Number(stored.get(archiveSettingKeys.retentionDays) ?? 0),
      consentRequired: stored.get(archiveSettingKeys.consentRequired) === 'true',
    };
  }

  return {
    /** The values the worker and the jobs use. */
    effective,

    async view(): Promise<ArchiveSettingsView> {
      const values = await effective();
      return { ...values, secret: maskSecret(values.secret), secretFromEnv: Boolean(config.WECOM_ARCHIVE_SECRET), sdkPathFromEnv: Boolean(config.WECOM_FINANCE_SDK_PATH) };
    },

    /** Returns the fields the environment fixes, so the route can refuse them by name. */
    envFixed(patch: ArchiveSettingsPatch): string[] {
      return [patch.secret !== undefined && config.WECOM_ARCHIVE_SECRET ? 'secret' : null, patch.sdkPath !== undefined && config.WECOM_FINANCE_SDK_PATH ? 'sdkPath' : null].filter((f): f is string => f !== null);
    },

    async update(patch: ArchiveSettingsPatch, actorId: number): Promise<ArchiveSettingsView> {
      const changes: SettingChange[] = [];
      if (patch.secret !== undefined) changes.push({ key: archiveSettingKeys.secret, value: patch.secret, secret: true });
      if (patch.sdkPath !== undefined) changes.push({ key: archiveSettingKeys.sdkPath, value: patch.sdkPath, secret: false });
      if (patch.retentionDays !== undefined) changes.push({ key: archiveSettingKeys.retentionDays, value: String(patch.retentionDays), secret: false });
      if (patch.consentRequired !== undefined) changes.push({ key: archiveSettingKeys.consentRequired, value: String(patch.consentRequired), secret: false });
      if (changes.length) await settings.write(changes, actorId);
      return this.view();
    },
  };
}

export type ArchiveSettings = ReturnType<typeof createArchiveSettings>;
