import { isoToShanghaiTime, sampleProducts, sampleSource, shanghaiTimeToIso, signaturesEqual, startGateway, topSign, type RunningGateway } from '../../../commerce-core/src';
import type { JdOrder } from '../jd-types';

const yuan = (fen: number) => (fen / 100).toFixed(2);

/**
 * Plays the JOS gateway for tests and the sandbox demo: checks each call's sign (answering
 * `error_response` code 19 无效签名 as JOS does) and answers `jingdong.pop.order.enSearch` by
 * modified time, state and page from its order book.
 */
export class JdSimulator {
  private readonly orders = new Map<string, JdOrder>();
  private readonly source;
  private gateway: RunningGateway | null = null;
  refusedCalls = 0;

  constructor(private readonly options: { appKey: string; appSecret: string; seed?: number }) {
    this.source = sampleSource(options.seed ?? 13);
  }

  get url(): string {
    if (!this.gateway) throw new Error('start the simulator first');
    return `${this.gateway.url}/routerjson`;
  }

  async start(port = 0): Promise<this> {
    this.gateway = await startGateway(({ params }) => {
      if (params.app_key !== this.options.appKey || !signaturesEqual(topSign(params, this.options.appSecret), params.sign)) {
        this.refusedCalls += 1;
        return { body: { error_response: { code: '19', zh_desc: '无效签名', en_desc: 'Invalid signature' } } };
      }
      if (params.method !== 'jingdong.pop.order.enSearch') return { body: { error_response: { code: '67', zh_desc: '方法不存在', en_desc: 'Invalid method' } } };
      return { body: { jingdong_pop_order_enSearch_responce: { code: '0', searchorderinfo_result: this.search(JSON.parse(params['360buy_param_json'] ?? '{}') as Record<string, string>) } } };
    }, port);
    return this;
  }

  async stop(): Promise<void> {
    await this.gateway?.close();
    this.gateway = null;
  }

  private search(query: Record<string, string>) {
    const from = shanghaiTimeToIso(query.start_date ?? '1970-01-01 08:00:00');
    const to = shanghaiTimeToIso(query.end_date ?? '2999-01-01 00:00:00');
    const states = new Set((query.order_state ?? '').split(','));
    const matched = [...this.orders.values()].filter((o) => states.has(o.orderState) && shanghaiTimeToIso(o.modified!) >= from && shanghaiTimeToIso(o.modified!) <= to);
    const size = Number(query.page_size ?? 100);
    const page = Number(query.page ?? 1);
    return { apiResult: { success: true }, orderTotal: matched.length, orderInfoList: matched.slice((page - 1) * size, page * size) };
  }

  /** A new order, paid (JD lists orders once paid); `product` indexes `sampleProducts`. */
  placePaidOrder(options: { product?: number; quantity?: number; city?: string; phone?: string } = {}): string {
    const product = sampleProducts[options.product ?? 0]!;
    const quantity = options.quantity ?? 1;
    const buyer = this.source.buyer();
    const id = this.source.orderId('3', 12);
    const now = isoToShanghaiTime(new Date());
    this.orders.set(id, {
      orderId: id,
      orderState: 'WAIT_SELLER_STOCK_OUT',
      orderTotalPrice: yuan(product.priceFen * quantity),
      orderPayment: yuan(product.priceFen * quantity),
      orderStartTime: now,
      paymentConfirmTime: now,
      modified: now,
      consigneeInfo: { fullname: buyer.name, mobile: options.phone ?? buyer.phone, fullAddress: `${options.city ?? buyer.address.slice(0, 3)}示例路 9 号` },
      itemInfoList: [{ skuId: `1000${product.sku.length}${id.slice(-4)}`, outerSkuId: product.sku, skuName: product.name, itemTotal: String(quantity), jdPrice: yuan(product.priceFen) }],
    });
    return id;
  }

  /** The buyer cancels a paid order: JD refunds it. */
  cancel(id: string): void {
    const order = this.orders.get(id);
    if (!order) throw new Error(`no order ${id}`);
    this.orders.set(id, { ...order, orderState: 'TRADE_CANCELED', modified: isoToShanghaiTime(new Date()) });
  }
}
