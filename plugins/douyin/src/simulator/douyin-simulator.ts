import { sampleProducts, sampleSource, signaturesEqual, startGateway, type RunningGateway } from '../../../commerce-core/src';
import { apiSign, eventSign } from '../douyin-sign';
import { orderTags, type ShopOrderDetail } from '../douyin-types';

type Tag = keyof typeof orderTags;

/**
 * Plays 抖店 for tests and the sandbox demo: keeps an order book, serves `order.orderDetail` on a
 * local gateway (checking the request's signature as the platform does), and builds signed
 * message-push requests for the connector's endpoint.
 */
export class DouyinSimulator {
  private readonly orders = new Map<string, ShopOrderDetail>();
  private readonly source;
  private gateway: RunningGateway | null = null;
  /** Detail requests refused for a bad signature (a test can assert there were none). */
  refusedRequests = 0;

  constructor(private readonly options: { appKey: string; appSecret: string; shopId?: string; seed?: number }) {
    this.source = sampleSource(options.seed ?? 7);
  }

  get apiBase(): string {
    if (!this.gateway) throw new Error('start the simulator first');
    return this.gateway.url;
  }

  async start(port = 0): Promise<this> {
    this.gateway = await startGateway((request) => {
      const q = request.query;
      const expected = apiSign({ app_key: q.app_key ?? '', method: q.method ?? '', param_json: q.param_json ?? '', timestamp: q.timestamp ?? '', v: q.v ?? '' }, this.options.appSecret);
      if (q.app_key !== this.options.appKey || !signaturesEqual(expected, q.sign)) {
        this.refusedRequests += 1;
        return { body: { code: 40004, msg: '签名校验失败', data: null } };
      }
      const { shop_order_id: id } = JSON.parse(q.param_json ?? '{}') as { shop_order_id?: string };
      const detail = id ? this.orders.get(id) : undefined;
      return detail ? { body: { code: 10000, msg: 'success', data: { shop_order_detail: detail } } } : { body: { code: 50002, msg: '订单不存在', data: null } };
    }, port);
    return this;
  }

  async stop(): Promise<void> {
    await this.gateway?.close();
    this.gateway = null;
  }

  /** A new unpaid order; `product` indexes `sampleProducts` (0: an air conditioner). */
  placeOrder(options: { product?: number; quantity?: number; buyer?: Partial<{ name: string; phone: string; city: string; detail: string }>; live?: boolean } = {}): string {
    const product = sampleProducts[options.product ?? 0]!;
    const quantity = options.quantity ?? 1;
    const buyer = this.source.buyer();
    const id = this.source.orderId('6', 19);
    const amount = product.priceFen * quantity;
    this.orders.set(id, {
      order_id: id,
      shop_id: this.options.shopId ?? '100001',
      order_status: 1,
      order_amount: amount,
      pay_amount: 0,
      create_time: Math.floor(Date.now() / 1000),
      ...(options.live === false ? {} : { author_id: '88001' }),
      post_receiver: options.buyer?.name ?? buyer.name,
      post_tel: options.buyer?.phone ?? buyer.phone,
      post_addr: { province: { name: '' }, city: { name: options.buyer?.city ?? buyer.address.slice(0, 6) }, detail: options.buyer?.detail ?? '示例路 8 号' },
      sku_order_list: [{ sku_id: `${product.sku}-1`, out_sku_id: product.sku, product_name: product.name, item_num: quantity, origin_amount: amount, pay_amount: amount, first_cid: product.categoryId, third_cid: product.categoryId }],
    });
    return id;
  }

  /** Moves the order on the platform: paid, shipped, completed, cancelled (refunds keep the status). */
  set(id: string, status: Exclude<Tag, 'created' | 'refunded'>): void {
    const order = this.detail(id);
    const code = { paid: 2, shipped: 3, completed: 5, cancelled: 4 }[status];
    this.orders.set(id, { ...order, order_status: code, ...(status === 'paid' ? { pay_amount: order.order_amount, pay_time: Math.floor(Date.now() / 1000) } : {}) });
  }

  detail(id: string): ShopOrderDetail {
    const order = this.orders.get(id);
    if (!order) throw new Error(`no order ${id}`);
    return order;
  }

  /** The push request 抖店 would send for this order's event, signed with the app secret. */
  pushRequest(tag: Tag, id: string, options: { signMethod?: 'md5' | 'hmac-sha256' } = {}): { rawBody: string; headers: Record<string, string> } {
    const order = this.detail(id);
    const refund = tag === 'refunded' ? `,"refund_amount":${order.pay_amount},"refund_time":${Math.floor(Date.now() / 1000)},"aftersale_id":7${order.order_id.slice(-18)}` : '';
    // Ids are 19-digit integers, written as number literals (as 抖店 does): beyond JS's safe integers.
    const data = `{"p_id":${order.order_id},"s_ids":[${order.order_id}],"shop_id":${order.shop_id},"order_status":${order.order_status}${refund}}`;
    const rawBody = JSON.stringify([{ tag: orderTags[tag], msg_id: `${order.order_id}${orderTags[tag]}`, data }]);
    const method = options.signMethod ?? 'md5';
    return { rawBody, headers: { 'content-type': 'application/json', 'app-id': this.options.appKey, 'event-sign': eventSign(this.options.appKey, rawBody, this.options.appSecret, method), ...(method === 'md5' ? {} : { 'sign-method': method }) } };
  }

  /** Sends the push to the connector's endpoint (as 抖店 does); returns the HTTP status. */
  async push(webhookUrl: string, tag: Tag, id: string): Promise<number> {
    const { rawBody, headers } = this.pushRequest(tag, id);
    const reply = await fetch(webhookUrl, { method: 'POST', headers, body: rawBody });
    return reply.status;
  }
}
