import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../../core/db/define-table';

/** Order statuses in the only order they may move through; refunded and cancelled end an order. */
export const orderStatuses = ['created', 'paid', 'shipped', 'completed', 'refunded', 'cancelled'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export const storeStrategies = ['nearest', 'fixed', 'shop_default'] as const;
export type StoreStrategy = (typeof storeStrategies)[number];

export interface OrderRow extends Timestamps {
  id: number;
  platform: string;
  platform_order_id: string;
  shop_id: string;
  status: OrderStatus;
  customer_id: number | null;
  store_id: number | null;
  buyer_name: string | null;
  phone_enc: string | null;
  phone_bidx: string | null;
  address_enc: string | null;
  address_bidx: string | null;
  unionid: string | null;
  lat: number | null;
  lng: number | null;
  items: string;
  item_index: string | null;
  total_fen: number;
  paid_fen: number;
  source_channel: string;
  placed_at: Date;
  paid_at: Date | null;
  refunded_at: Date | null;
  rule_id: number | null;
  work_order_ids: string;
  routing_note: string | null;
}

export interface OrderRuleRow extends Timestamps {
  id: number;
  name: string;
  priority: number;
  enabled: boolean;
  conditions: string;
  flow_code: string;
  store_strategy: StoreStrategy;
  store_id: number | null;
  service_items: string;
}

export interface OrderShopRow extends Timestamps {
  id: number;
  platform: string;
  shop_id: string;
  name: string;
  default_store_id: number | null;
}

/** One order delivery a connector received (see migration 0030): stored before the platform is answered. */
export interface OrderInboxRow {
  id: number;
  platform: string;
  platform_order_id: string;
  event: string;
  payload_enc: string;
  received_at: Date;
  deliveries: number;
  job_id: number | null;
  order_id: number | null;
  processed_at: Date | null;
}

/** Store staff see their store's orders (the store the order was routed to). */
export const orderScope = { store: 'store_id' } as const;

type Generated = 'id' | 'created_at' | 'updated_at';

export function defineOrderModels(sequelize: Sequelize) {
  return {
    Order: defineTable<OrderRow, Generated | 'customer_id' | 'store_id' | 'buyer_name' | 'phone_enc' | 'phone_bidx' | 'address_enc' | 'address_bidx' | 'unionid' | 'lat' | 'lng' | 'item_index' | 'paid_at' | 'refunded_at' | 'rule_id' | 'routing_note'>(
      sequelize,
      'orders',
      {
        id,
        platform: DataTypes.STRING(32),
        platform_order_id: DataTypes.STRING(64),
        shop_id: DataTypes.STRING(64),
        status: DataTypes.STRING(16),
        customer_id: DataTypes.BIGINT,
        store_id: DataTypes.BIGINT,
        buyer_name: DataTypes.STRING(128),
        phone_enc: DataTypes.TEXT,
        phone_bidx: DataTypes.STRING(64),
        address_enc: DataTypes.TEXT,
        address_bidx: DataTypes.STRING(64),
        unionid: DataTypes.STRING(64),
        lat: DataTypes.DOUBLE,
        lng: DataTypes.DOUBLE,
        items: DataTypes.TEXT,
        item_index: DataTypes.STRING(512),
        total_fen: DataTypes.BIGINT,
        paid_fen: DataTypes.BIGINT,
        source_channel: DataTypes.STRING(32),
        placed_at: DataTypes.DATE(3),
        paid_at: DataTypes.DATE(3),
        refunded_at: DataTypes.DATE(3),
        rule_id: DataTypes.BIGINT,
        work_order_ids: DataTypes.TEXT,
        routing_note: DataTypes.STRING(255),
      },
    ),
    OrderRule: defineTable<OrderRuleRow, Generated | 'store_id'>(sequelize, 'order_rules', {
      id,
      name: DataTypes.STRING(100),
      priority: DataTypes.INTEGER,
      enabled: DataTypes.BOOLEAN,
      conditions: DataTypes.TEXT,
      flow_code: DataTypes.STRING(64),
      store_strategy: DataTypes.STRING(16),
      store_id: DataTypes.BIGINT,
      service_items: DataTypes.TEXT,
    }),
    OrderShop: defineTable<OrderShopRow, Generated | 'default_store_id'>(sequelize, 'order_shops', {
      id,
      platform: DataTypes.STRING(32),
      shop_id: DataTypes.STRING(64),
      name: DataTypes.STRING(100),
      default_store_id: DataTypes.BIGINT,
    }),
    OrderInbox: defineTable<OrderInboxRow, 'id' | 'deliveries' | 'job_id' | 'order_id' | 'processed_at'>(
      sequelize,
      'order_inbox',
      {
        id,
        platform: DataTypes.STRING(32),
        platform_order_id: DataTypes.STRING(64),
        event: DataTypes.STRING(64),
        payload_enc: DataTypes.TEXT,
        received_at: DataTypes.DATE(3),
        deliveries: DataTypes.INTEGER,
        job_id: DataTypes.BIGINT,
        order_id: DataTypes.BIGINT,
        processed_at: DataTypes.DATE(3),
      },
      { timestamps: false },
    ),
  };
}
