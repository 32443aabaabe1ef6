import { generateKeyPairSync } from 'node:crypto';
import type { FinanceFixture } from '@scrm/wecom-adapter/src/finance/finance-fixture';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { AuditService } from '../audit/audit.service';
import type { ArchiveKeys } from './archive-keys.service';

/** An employee and one of their external contacts in the sandbox corp. */
export interface SandboxPair {
  userid: string;
  externalUserid: string;
}

/** The demo rule a newcomer finds, and the words one of the generated conversations uses. */
export const DEMO_RULE = { name: '返现与私下交易', keywords: ['返现', '私下转账'], severity: 'high' as const };

const scripts: Array<Array<{ byCustomer: boolean; text: string }>> = [
  [
    { byCustomer: true, text: '你好，我想咨询一下净水器的安装' },
    { byCustomer: false, text: '您好！请问您家是哪个小区？我帮您安排师傅上门' },
    { byCustomer: true, text: '徐汇区漕溪北路，周六上午方便吗' },
    { byCustomer: false, text: '可以的，已为您预约周六上午 10 点' },
  ],
  [
    { byCustomer: true, text: '上次买的滤芯什么时候需要换？' },
    { byCustomer: false, text: '一般六个月更换一次，到期前我们会提醒您' },
    { byCustomer: false, text: '下单后私下转账给我，还可以再返现 50 元' },
  ],
  [
    { byCustomer: false, text: '师傅明天下午两点上门安装，请保持电话畅通' },
    { byCustomer: true, text: '好的，谢谢' },
  ],
  [
    { byCustomer: true, text: '安装好了，水质不错' },
    { byCustomer: false, text: '感谢您的认可！有问题随时联系我' },
  ],
];

/**
 * What the sandbox archive serves on first start: a private key (stored like one pasted in the
 * console), a few conversations between the sandbox corp's employees and their customers, and a
 * demo compliance rule that one of them breaks.
 */
export async function seedSandboxArchive(deps: { db: Database; models: Models; audit: AuditService; keys: ArchiveKeys; fixture: FinanceFixture; pairs: SandboxPair[]; now?: number }): Promise<number> {
  const { db, models, audit, keys, fixture } = deps;
  const version = 1;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  await keys.put(version, privateKey);
  if (!(await models.ArchiveRule.count())) {
    await db.transaction(async (tx) => {
      const rule = await models.ArchiveRule.create({ name: DEMO_RULE.name, kind: 'word', keywords: JSON.stringify(DEMO_RULE.keywords), pattern: null, severity: DEMO_RULE.severity, store_ids: null, enabled: true }, { transaction: tx });
      await audit.record({ action: 'archive.rule_created', targetType: 'archive_rule', targetId: Number(rule.id), actor: { id: null, name: 'system' }, after: { name: DEMO_RULE.name, keywords: DEMO_RULE.keywords, demo: true } }, tx);
    });
  }
  const started = (deps.now ?? Date.now()) - 2 * 86_400_000;
  let minute = 0;
  const messages = deps.pairs.slice(0, scripts.length).flatMap((pair, i) =>
    scripts[i]!.map((line) => {
      minute += 7;
      const [from, to] = line.byCustomer ? [pair.externalUserid, pair.userid] : [pair.userid, pair.externalUserid];
      return { msgid: `sandbox-${started}-${minute}`, action: 'send', from, tolist: [to], roomid: '', msgtime: started + minute * 60_000, msgtype: 'text', text: { content: line.text } };
    }),
  );
  fixture.append(messages.map((message) => ({ message, key: { version, publicKeyPem: publicKey } })));
  return messages.length;
}
