import { loadFinanceSdk } from '@scrm/wecom-adapter/src/finance/finance-sdk';
import { createServices, prepareDatabase } from '../../app';
import type { AppConfig } from '../../config/load-config';
import { createArchiveIngest } from './archive-ingest';
import { createMediaFetcher } from './archive-media';
import { NOTIFY_CHECK_MS, notificationWatcher } from './archive-notify';
import { createRsaPool } from './archive-rsa-pool';

/**
 * The archive worker: the only process that loads the Finance SDK. It pulls batch after batch until
 * caught up, opens parked messages whose key arrived, then waits ARCHIVE_POLL_MS or until a
 * msgaudit_notify callback arrives. A native crash ends
 * this process only; its supervisor starts it again and it resumes from the committed sequence.
 */
export async function startArchiveWorker(config: AppConfig) {
  const services = createServices(config);
  const log = services.log.child({ component: 'chat-archive' });
  await prepareDatabase(services);
  const corpId = config.WECOM_CORP_ID ?? (await services.settings.read(['wecom.corp_id'])).get('wecom.corp_id');
  // The environment wins; otherwise what the console saved (secret decrypted by the settings service).
  const { sdkPath, secret } = await services.chatArchive.settings.effective();
  if (!sdkPath || !corpId || !secret) {
    throw new Error('the archive worker needs the SDK path, the corp id and the archive secret (WECOM_FINANCE_SDK_PATH, WECOM_CORP_ID, WECOM_ARCHIVE_SECRET or the console settings)');
  }
  const sdk = loadFinanceSdk(sdkPath, { corpId, secret });
  const rsa = createRsaPool();
  const ingest = createArchiveIngest({ db: services.db, models: services.models, keys: services.chatArchive.keys, sdk, rsa, corpId, log, batchSize: config.ARCHIVE_BATCH_SIZE, compliance: services.chatArchive.compliance });

  const media = createMediaFetcher({ models: services.models, sdk, storage: services.chatArchive.mediaStorage, log });
  const notifications = notificationWatcher(services.models, corpId);
  let stopping = false;
  let interrupt: (() => void) | null = null;
  const pause = (ms: number) =>
    new Promise<void>((done) => {
      const timer = setTimeout(done, ms);
      interrupt = () => {
        clearTimeout(timer);
        done();
      };
    });
  /** Idle until the poll interval ends, a msgaudit_notify arrives or the worker stops. */
  const idle = async () => {
    const until = Date.now() + config.ARCHIVE_POLL_MS;
    while (!stopping && Date.now() < until) {
      await pause(Math.min(NOTIFY_CHECK_MS, until - Date.now()));
      if (!stopping && (await notifications.pending().catch(() => false))) return;
    }
  };

  const loop = (async () => {
    while (!stopping) {
      try {
        await notifications.settle();
        // Stop between batches when asked to: the committed sequence is where the next start resumes.
        await ingest.runUntilCaughtUp(() => !stopping);
        if (!stopping) await ingest.processParked();
        for (let handled = 1; handled && !stopping; ) {
          const fetched = await media.fetchPending();
          handled = fetched.stored + fetched.failed;
        }
      } catch (error) {
        log.error({ err: error }, 'archive pull failed');
        await ingest.recordError(error).catch(() => undefined);
      }
      await idle();
    }
  })();

  log.info({ corpId, from: await ingest.cursorSeq() }, 'archive worker started');
  return {
    log,
    async stop() {
      stopping = true;
      (interrupt as (() => void) | null)?.();
      await loop;
      await rsa.close();
      sdk.destroy();
      await services.kv.close();
      await services.db.close();
    },
  };
}
