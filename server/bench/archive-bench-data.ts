import { createConnection } from 'mysql2/promise';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small deterministic PRNG, so every run archives the same conversations. */
export function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const openers = ['您好', '师傅', '请问', '麻烦', '好的', '收到', '谢谢', '明天', '下周', '今天下午'];
const subjects = ['空调安装', '空调维修', '热水器安装', '门锁更换', '电视挂架', '洗衣机清洗', '油烟机维修', '净水器滤芯', '地暖检修', '新风系统'];
const tails = ['什么时候上门', '需要留人在家吗', '费用怎么算', '已经预约好了', '请发一下地址', '可以开发票吗', '师傅已经出发', '评价一下服务', 'installation included', 'invoice please'];

/** A short customer-service sentence, Chinese with some English, like the archive holds. */
export function benchSentence(random: () => number): string {
  const pick = (list: string[]) => list[Math.floor(random() * list.length)]!;
  return `${pick(openers)}，${pick(subjects)}${pick(tails)}`;
}

export const BENCH_DATABASE = 'scrm_bench_archive';

/**
 * The bench's own database, dropped afterwards: `scrm_bench_archive` on the MySQL/MariaDB server of
 * DB_URL, or a fresh SQLite file.
 */
export async function benchDatabase(baseUrl = process.env.DB_URL): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!baseUrl || baseUrl.startsWith('sqlite:')) {
    return { url: `sqlite:${join(mkdtempSync(join(tmpdir(), 'scrm-bench-archive-')), 'scrm.sqlite')}`, drop: async () => undefined };
  }
  const server = new URL(baseUrl.replace(/^mariadb:/, 'mysql:'));
  const admin = async (sql: string) => {
    const connection = await createConnection({ host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password) });
    try {
      await connection.query(sql);
    } finally {
      await connection.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS \`${BENCH_DATABASE}\``);
  await admin(`CREATE DATABASE \`${BENCH_DATABASE}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  server.pathname = `/${BENCH_DATABASE}`;
  return { url: server.toString(), drop: () => admin(`DROP DATABASE IF EXISTS \`${BENCH_DATABASE}\``) };
}
