import { randomBytes } from 'node:crypto';
import { DouyinSimulator } from '@scrm/plugin-douyin/src/simulator/douyin-simulator';
import { startErpSimulator } from '@scrm/plugin-erp-rest/src/simulator/erp-simulator';
import { TaobaoSimulator } from '@scrm/plugin-taobao/src/simulator/taobao-simulator';

/** The demo's shops: where their orders go when the buyer's city is unknown. */
export const demoShops = {
  douyin: { shopId: '100001', name: '抖店·空调旗舰店（演示）', defaultStore: 'SH01' },
  taobao: { shopId: 'taobao-demo', name: '天猫·空调专营店（演示）', defaultStore: 'HZ01' },
} as const;
export type DemoPlatform = keyof typeof demoShops;
export const demoPlatforms = ['douyin', 'taobao'] as const satisfies readonly DemoPlatform[];

export const DEMO_WAREHOUSE = 'WH-DEMO';
/** Cities of the demo stores (SH01, HZ01, GZ01, SZ01): their orders route to the nearest one. */
const demoCities = ['上海市徐汇区', '杭州市西湖区', '广州市天河区', '深圳市南山区'];

const secret = () => randomBytes(18).toString('base64url');

/**
 * The platforms and the ERP the offline demo talks to, played in-process on loopback ports by the
 * connectors' own simulators (which sign and check requests as the platforms do). Credentials are
 * made up at each start and only ever handed to the plugins' settings (stored encrypted).
 */
export async function startDemoCommerce() {
  const douyinKeys = { appKey: `dy_demo_${secret().slice(0, 8)}`, appSecret: secret() };
  const taobaoKeys = { appKey: `tb_demo_${secret().slice(0, 8)}`, appSecret: secret() };
  const erpKey = secret();
  const douyin = await new DouyinSimulator({ ...douyinKeys, shopId: demoShops.douyin.shopId, seed: Date.now() % 9973 }).start();
  const taobao = await new TaobaoSimulator({ ...taobaoKeys, seed: Date.now() % 7919 }).start();
  const erp = await startErpSimulator({ stock: { [DEMO_WAREHOUSE]: { 'AC-KFR35': 50, 'AC-KFR72': 20, 'BR-10': 200 } }, auth: { apiKey: erpKey } });
  let placed = 0;
  const nextCity = () => demoCities[placed++ % demoCities.length]!;
  const categoryMap = { '20001': 'air_conditioner' };

  return {
    erp,
    /** Settings that point each plugin at its simulator. */
    settings: {
      douyin: { ...douyinKeys, accessToken: secret(), apiBase: douyin.apiBase, categoryMap },
      taobao: { ...taobaoKeys, sessionKey: secret(), shopId: demoShops.taobao.shopId, gateway: taobao.url, categoryMap },
      'erp-rest': { baseUrl: erp.url, authMode: 'api_key', apiKey: erpKey, defaultWarehouse: DEMO_WAREHOUSE },
    },

    /** A paid air-conditioner order on 抖店, pushed (signed) to the connector's endpoint; returns its order id. */
    async placeDouyinOrder(pushUrl: string): Promise<string> {
      const id = douyin.placeOrder({ product: placed % 2, buyer: { city: nextCity() } });
      douyin.set(id, 'paid');
      const status = await douyin.push(pushUrl, 'paid', id);
      if (status !== 200) throw new Error(`the douyin connector answered ${status} to the demo push`);
      return id;
    },

    /** A paid trade on 淘宝; the connector's pull job fetches it from the TMC queue. */
    placeTaobaoOrder(): string {
      const tid = taobao.placeOrder({ product: placed % 2, city: nextCity().slice(0, 3) });
      taobao.pay(tid);
      return tid;
    },

    async close(): Promise<void> {
      await Promise.allSettled([douyin.stop(), taobao.stop(), erp.stop()]);
    },
  };
}

export type DemoCommerce = Awaited<ReturnType<typeof startDemoCommerce>>;
