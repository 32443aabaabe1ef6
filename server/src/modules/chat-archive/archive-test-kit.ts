import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFinanceStandin, pointFinanceStandinAt } from '@scrm/wecom-adapter/src/finance/build-standin';
import { createFinanceFixture } from '@scrm/wecom-adapter/src/finance/finance-fixture';

export interface ArchiveKeyPair {
  version: number;
  publicKeyPem: string;
  privateKeyPem: string;
}

/** RSA-2048 key pairs as the WeCom admin issues them; PKCS#1 for odd versions, PKCS#8 for even. */
export function archiveKeyPair(version: number): ArchiveKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: version % 2 ? 'pkcs1' : 'pkcs8', format: 'pem' },
  });
  return { version, publicKeyPem: publicKey, privateKeyPem: privateKey };
}

/**
 * A fresh fixture directory served by the stand-in library (compiled once), pointed at from this
 * process; `remove` deletes the directory when the suite is done.
 */
export function archiveFixture() {
  const sdkPath = buildFinanceStandin();
  const dir = mkdtempSync(join(tmpdir(), 'archive-fixture-'));
  pointFinanceStandinAt(sdkPath, dir);
  return { sdkPath, fixture: createFinanceFixture(dir), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

let counter = 0;
/** A one-to-one text message between an employee and an external contact. */
export const textMessage = (content: string, parties: { from: string; to: string }, roomid = '') => ({
  msgid: `msg-${Date.now()}-${++counter}`,
  action: 'send',
  from: parties.from,
  tolist: [parties.to],
  roomid,
  msgtime: 1_700_000_000_000 + counter * 1000,
  msgtype: 'text',
  text: { content },
});

/**
 * Polls `read` until `done` holds. Fails only when the value stops changing for `stallMs`: a worker
 * process on a loaded machine may be slow to start or to pull, but one that is stuck makes no progress.
 */
export async function waitForProgress<T>(read: () => Promise<T>, done: (value: T) => boolean, stallMs = 90_000, everyMs = 100): Promise<T> {
  let last = JSON.stringify(await read());
  let changedAt = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    const seen = JSON.stringify(value);
    if (seen !== last) [last, changedAt] = [seen, Date.now()];
    else if (Date.now() - changedAt > stallMs) throw new Error(`no progress for ${stallMs} ms (last: ${seen})`);
    await new Promise((tick) => setTimeout(tick, everyMs));
  }
}
