import { isoToShanghaiTime, sampleProducts, sampleSource, signaturesEqual, startGateway, topSign, type RunningGateway } from '../../../commerce-core/src';
import { topics, type Trade } from '../taobao-types';

const yuan = (fen: number) => (fen / 100).toFixed(2);

/**
 * Plays the TOP gateway for tests and the sandbox demo: checks each call's app key and MD5 sign
 * (answering `error_response` code 25 "Invalid signature" as TOP does), keeps trades, and queues
 * TMC messages until they are confirmed.
 */
export class TaobaoSimulator {
  private readonly trades = new Map<string, Trade>();
  private readonly queue: Array<{ id: string; topic: string; content: string; pub_time: string }> = [];
  private readonly source;
  private gateway: RunningGateway | null = null;
  private nextMessageId = 1;
  refusedCalls = 0;

  constructor(private readonly options: { appKey: string; appSecret: string; seed?: number }) {
    this.source = sampleSource(options.seed ?? 11);
  }

  get url(): string {
    if (!this.gateway) throw new Error('start the simulator first');
    return `${this.gateway.url}/router/rest`;
  }

  get pendingMessages(): number {
    return this.queue.length;
  }

  async start(port = 0): Promise<this> {
    this.gateway = await startGateway(({ params }) => {
      if (params.app_key !== this.options.appKey || !signaturesEqual(topSign(params, this.options.appSecret), params.sign)) {
        this.refusedCalls += 1;
        return { body: { error_response: { code: 25, msg: 'Invalid signature', request_id: 'sim' } } };
      }
      return { body: this.call(params) };
    }, port);
    return this;
  }

  async stop(): Promise<void> {
    await this.gateway?.close();
    this.gateway = null;
  }

  private call(params: Record<string, string>): unknown {
    switch (params.method) {
      case 'taobao.tmc.messages.consume':
        return { tmc_messages_consume_response: { messages: { tmc_message: this.queue.slice(0, Number(params.quantity ?? 100)) } } };
      case 'taobao.tmc.messages.confirm': {
        const ids = new Set((params.s_message_ids ?? '').split(','));
        for (let i = this.queue.length - 1; i >= 0; i -= 1) if (ids.has(this.queue[i]!.id)) this.queue.splice(i, 1);
        return { tmc_messages_confirm_response: { is_success: true } };
      }
      case 'taobao.trade.fullinfo.get': {
        const found = this.trades.get(params.tid ?? '');
        return found ? { trade_fullinfo_get_response: { trade: found } } : { error_response: { code: 15, msg: 'Remote service error', sub_msg: '交易不存在' } };
      }
      default:
        return { error_response: { code: 22, msg: 'Invalid method' } };
    }
  }

  private publish(topic: string, tid: string) {
    this.queue.push({ id: String(this.nextMessageId++), topic, content: `{"tid":${tid},"status":"${this.trades.get(tid)?.status ?? ''}"}`, pub_time: isoToShanghaiTime(new Date()) });
  }

  /** A new unpaid trade (and its TradeCreate message); `product` indexes `sampleProducts`. */
  placeOrder(options: { product?: number; quantity?: number; city?: string; phone?: string; tmall?: boolean } = {}): string {
    const product = sampleProducts[options.product ?? 0]!;
    const quantity = options.quantity ?? 1;
    const buyer = this.source.buyer();
    const tid = this.source.orderId('2', 18);
    const total = yuan(product.priceFen * quantity);
    this.trades.set(tid, {
      tid,
      status: 'WAIT_BUYER_PAY',
      total_fee: total,
      payment: total,
      created: isoToShanghaiTime(new Date()),
      receiver_name: buyer.name,
      receiver_mobile: options.phone ?? buyer.phone,
      receiver_city: options.city ?? buyer.address.slice(0, 3),
      receiver_address: '示例路 6 号',
      ...(options.tmall ? { type: 'tmall' } : {}),
      orders: { order: [{ oid: `${tid}1`, num_iid: `6${product.sku.length}${tid.slice(-6)}`, outer_sku_id: product.sku, title: product.name, num: quantity, price: yuan(product.priceFen), cid: product.categoryId }] },
    });
    this.publish(topics.created, tid);
    return tid;
  }

  pay(tid: string): void {
    this.update(tid, { status: 'WAIT_SELLER_SEND_GOODS', pay_time: isoToShanghaiTime(new Date()) }, topics.paid);
  }

  refund(tid: string): void {
    this.update(tid, { status: 'TRADE_CLOSED' }, topics.refunded);
  }

  /** Queues a message again (TMC redelivers what was not confirmed in time). */
  redeliver(tid: string, topic: keyof typeof topics = 'paid'): void {
    this.publish(topics[topic], tid);
  }

  private update(tid: string, changes: Partial<Trade>, topic: string) {
    const found = this.trades.get(tid);
    if (!found) throw new Error(`no trade ${tid}`);
    this.trades.set(tid, { ...found, ...changes });
    this.publish(topic, tid);
  }
}
