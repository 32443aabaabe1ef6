import type { FieldCipher } from '../../core/crypto/field-cipher';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { AppConfig } from '../../config/load-config';
import type { AuditService } from '../audit/audit.service';
import type { SettingsService } from '../settings/settings.service';
import { createArchiveConversations } from './archive-conversations.service';
import { createArchiveKeys } from './archive-keys.service';
import { createArchiveSettings } from './archive-settings.service';
import { createArchiveRetention } from './archive-retention';
import type { Scheduler } from '../../core/jobs/scheduler';
import { createArchiveSearch } from './archive-search.service';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Logger } from '../../core/logger';
import { createBlobStorage } from '../../core/storage/create-blob-storage';
import type { WecomRuntime } from '../wecom/wecom-runtime';
import { registerAlertNotify } from './archive-alert-notify';
import { createArchiveAlerts } from './archive-alerts.service';
import { createComplianceCheck } from './archive-compliance-check';
import type { ArchiveMediaStorage } from './archive-media';
import { createArchiveMediaReader } from './archive-media-read';
import { createArchiveRules } from './archive-rules.service';

export interface ChatArchiveDeps {
  db: Database;
  models: Models;
  audit: AuditService;
  cipher: FieldCipher;
  settings: SettingsService;
  config: AppConfig;
  scheduler: Scheduler;
  queue: JobQueue;
  runtime: WecomRuntime;
  log: Logger;
  /** Where archived media bytes live; the storage STORAGE_DRIVER selects unless given. */
  mediaStorage?: ArchiveMediaStorage;
}

/** The API side of the chat archive: settings, keys, status, search, media and compliance. The Finance SDK is never loaded here. */
export function createChatArchiveModule(deps: ChatArchiveDeps) {
  const settings = createArchiveSettings(deps);
  const retention = createArchiveRetention({ ...deps, settings });
  retention.register(deps.scheduler);
  registerAlertNotify(deps);
  const mediaStorage = deps.mediaStorage ?? createBlobStorage(deps.config, 'archive-media');
  return {
    mediaStorage,
    media: createArchiveMediaReader({ ...deps, storage: mediaStorage }),
    rules: createArchiveRules(deps),
    alerts: createArchiveAlerts(deps),
    /** Run by the worker on every stored batch. */
    compliance: createComplianceCheck(deps),
    keys: createArchiveKeys(deps),
    search: createArchiveSearch(deps),
    settings,
    conversations: createArchiveConversations({ models: deps.models, settings }),
    retention,
    /** What the worker records per batch: position, last batch size and speed, how far behind the newest message is, errors. */
    async status() {
      const cursors = await deps.models.ArchiveCursor.findAll({ raw: true });
      const parked = await deps.models.ArchiveMessage.count({ where: { status: 'parked' } });
      return {
        parked,
        cursors: cursors.map((c) => ({
          corpId: c.corp_id,
          lastSeq: Number(c.last_seq),
          messagesStored: Number(c.messages_stored),
          lastBatchAt: c.last_batch_at,
          lastBatchMessages: Number(c.last_batch_messages ?? 0),
          ratePerSecond: c.last_batch_ms ? Math.round((Number(c.last_batch_messages) * 1000) / Number(c.last_batch_ms)) : 0,
          lastMessageAt: c.last_msg_time,
          lagSeconds: c.last_batch_at && c.last_msg_time ? Math.max(0, Math.round((new Date(c.last_batch_at).getTime() - new Date(c.last_msg_time).getTime()) / 1000)) : null,
          lastError: c.last_error,
          lastErrorAt: c.last_error_at,
        })),
      };
    },
  };
}

export type ChatArchiveModule = ReturnType<typeof createChatArchiveModule>;
