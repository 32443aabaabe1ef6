import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../../core/db/define-table';

export type CustomerStatus = 'active' | 'lost' | 'merged';

export interface CustomerRow extends Timestamps {
  id: number;
  /** Null while none of the customer's follow users belongs to a mapped store. */
  store_id: number | null;
  owner_user_id: number | null;
  name: string;
  phone_enc: string | null;
  phone_bidx: string | null;
  address_enc: string | null;
  address_bidx: string | null;
  external_userid: string | null;
  unionid: string | null;
  /** 1 WeChat user, 2 WeCom user. */
  wecom_type: number | null;
  gender: number | null;
  avatar: string | null;
  corp_name: string | null;
  stage: string;
  status: CustomerStatus;
  /** Set when an admin reassigned the store; syncs then keep it. */
  store_locked: boolean;
  merged_into_id: number | null;
  /** Name and follow remarks, for keyword search. */
  search_text: string | null;
  /** JSON object of custom field values by field key. */
  custom_fields: string | null;
  added_at: Date | null;
  lost_at: Date | null;
}

export const customerScope = { store: 'store_id', owner: 'owner_user_id' } as const;

type CustomerGenerated =
  | 'id'
  | 'created_at'
  | 'updated_at'
  | 'owner_user_id'
  | 'phone_enc'
  | 'phone_bidx'
  | 'address_enc'
  | 'address_bidx'
  | 'external_userid'
  | 'unionid'
  | 'wecom_type'
  | 'gender'
  | 'avatar'
  | 'corp_name'
  | 'stage'
  | 'status'
  | 'store_locked'
  | 'merged_into_id'
  | 'search_text'
  | 'custom_fields'
  | 'added_at'
  | 'lost_at';

export const defineCustomerModel = (sequelize: Sequelize) =>
  defineTable<CustomerRow, CustomerGenerated>(sequelize, 'customers', {
    id,
    store_id: DataTypes.BIGINT,
    owner_user_id: DataTypes.BIGINT,
    name: DataTypes.STRING(128),
    phone_enc: DataTypes.TEXT,
    phone_bidx: DataTypes.STRING(64),
    address_enc: DataTypes.TEXT,
    address_bidx: DataTypes.STRING(64),
    external_userid: DataTypes.STRING(64),
    unionid: DataTypes.STRING(64),
    wecom_type: DataTypes.INTEGER,
    gender: DataTypes.INTEGER,
    avatar: DataTypes.STRING(512),
    corp_name: DataTypes.STRING(128),
    stage: DataTypes.STRING(32),
    status: DataTypes.STRING(16),
    store_locked: DataTypes.BOOLEAN,
    merged_into_id: DataTypes.BIGINT,
    search_text: DataTypes.STRING(1024),
    custom_fields: DataTypes.TEXT,
    added_at: DataTypes.DATE(3),
    lost_at: DataTypes.DATE(3),
  });
