import { isoToShanghaiTime, sampleProducts, sampleSource, shanghaiTimeToIso, signaturesEqual, startGateway, topSign, type RunningGateway } from '../../../commerce-core/src';
import type { PddOrder } from '../pdd-types';

/**
 * Plays the 拼多多 gateway for tests and the sandbox demo: checks each call's sign (answering an
 * `error_response` as the platform does) and answers the increment query by updated time and page.
 */
export class PddSimulator {
  private readonly orders = new Map<string, PddOrder>();
  private readonly source;
  private gateway: RunningGateway | null = null;
  refusedCalls = 0;

  constructor(private readonly options: { clientId: string; clientSecret: string; seed?: number }) {
    this.source = sampleSource(options.seed ?? 17);
  }

  get url(): string {
    if (!this.gateway) throw new Error('start the simulator first');
    return `${this.gateway.url}/api/router`;
  }

  async start(port = 0): Promise<this> {
    this.gateway = await startGateway(({ params }) => {
      if (params.client_id !== this.options.clientId || !signaturesEqual(topSign(params, this.options.clientSecret), params.sign)) {
        this.refusedCalls += 1;
        return { body: { error_response: { error_code: 10019, error_msg: '签名错误', request_id: 'sim' } } };
      }
      if (params.type !== 'pdd.order.number.list.increment.get') return { body: { error_response: { error_code: 10001, error_msg: '未知接口' } } };
      const from = Number(params.start_updated_at) * 1000;
      const to = Number(params.end_updated_at) * 1000;
      const matched = [...this.orders.values()].filter((o) => {
        const at = new Date(shanghaiTimeToIso(o.updated_at)).getTime();
        return at >= from && at <= to;
      });
      const size = Number(params.page_size ?? 100);
      const page = Number(params.page ?? 1);
      return { body: { order_sn_increment_get_response: { total_count: matched.length, has_next: page * size < matched.length, order_sn_list: matched.slice((page - 1) * size, page * size) } } };
    }, port);
    return this;
  }

  async stop(): Promise<void> {
    await this.gateway?.close();
    this.gateway = null;
  }

  /** A paid order (拼多多 lists orders once paid); `group` marks a group purchase. */
  placePaidOrder(options: { product?: number; quantity?: number; city?: string; phone?: string; group?: boolean } = {}): string {
    const product = sampleProducts[options.product ?? 0]!;
    const quantity = options.quantity ?? 1;
    const buyer = this.source.buyer();
    const now = isoToShanghaiTime(new Date());
    const sn = `${now.slice(2, 10).replace(/-/g, '')}-${this.source.orderId('', 15)}`;
    const amount = (product.priceFen * quantity) / 100;
    this.orders.set(sn, {
      order_sn: sn,
      order_status: 1,
      refund_status: 1,
      pay_amount: amount,
      goods_amount: amount,
      created_time: now,
      pay_time: now,
      updated_at: now,
      receiver_name: buyer.name,
      receiver_phone: options.phone ?? buyer.phone,
      city: options.city ?? buyer.address.slice(0, 3),
      address: '示例路 3 号',
      trade_type: options.group ? 1 : 0,
      item_list: [{ goods_id: 7000 + (options.product ?? 0), sku_id: 9000 + (options.product ?? 0), outer_id: product.sku, goods_name: product.name, goods_count: quantity, goods_price: product.priceFen / 100 }],
    });
    return sn;
  }

  refund(sn: string): void {
    const order = this.orders.get(sn);
    if (!order) throw new Error(`no order ${sn}`);
    this.orders.set(sn, { ...order, refund_status: 4, updated_at: isoToShanghaiTime(new Date()) });
  }
}
