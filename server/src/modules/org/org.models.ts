import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../../core/db/define-table';

export interface CompanyRow extends Timestamps {
  id: number;
  name: string;
}

export interface RegionRow extends Timestamps {
  id: number;
  company_id: number;
  code: string;
  name: string;
}

export interface StoreRow extends Timestamps {
  id: number;
  region_id: number;
  code: string;
  name: string;
  address: string | null;
  /** Position, for routing shop orders to the buyer's nearest store. */
  lat: number | null;
  lng: number | null;
}

export interface RoleRow extends Timestamps {
  id: number;
  code: string;
  name: string;
  builtin: boolean;
  data_scope: string;
  /** JSON array of permission codes. */
  permissions: string;
}

export interface UserRow extends Timestamps {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
  role_id: number;
  region_id: number | null;
  store_id: number | null;
  phone_enc: string | null;
  phone_bidx: string | null;
  locale: string;
  status: 'active' | 'disabled';
  wecom_userid: string | null;
  /** When the employee left WeCom (the directory sync disables the user then). */
  wecom_left_at: Date | null;
  last_login_at: Date | null;
}

type Generated = 'id' | 'created_at' | 'updated_at';

export function defineOrgModels(sequelize: Sequelize) {
  return {
    Company: defineTable<CompanyRow, Generated>(sequelize, 'companies', { id, name: DataTypes.STRING(128) }),
    Region: defineTable<RegionRow, Generated>(sequelize, 'regions', {
      id,
      company_id: DataTypes.BIGINT,
      code: DataTypes.STRING(32),
      name: DataTypes.STRING(128),
    }),
    Store: defineTable<StoreRow, Generated | 'lat' | 'lng'>(sequelize, 'stores', {
      id,
      region_id: DataTypes.BIGINT,
      code: DataTypes.STRING(32),
      name: DataTypes.STRING(128),
      address: DataTypes.STRING(255),
      lat: DataTypes.DOUBLE,
      lng: DataTypes.DOUBLE,
    }),
    Role: defineTable<RoleRow, Generated>(sequelize, 'roles', {
      id,
      code: DataTypes.STRING(64),
      name: DataTypes.STRING(128),
      builtin: DataTypes.BOOLEAN,
      data_scope: DataTypes.STRING(16),
      permissions: DataTypes.TEXT,
    }),
    User: defineTable<UserRow, Generated | 'locale' | 'status' | 'last_login_at' | 'wecom_userid' | 'wecom_left_at' | 'phone_enc' | 'phone_bidx'>(sequelize, 'users', {
      id,
      username: DataTypes.STRING(64),
      display_name: DataTypes.STRING(128),
      password_hash: DataTypes.STRING(128),
      role_id: DataTypes.BIGINT,
      region_id: DataTypes.BIGINT,
      store_id: DataTypes.BIGINT,
      phone_enc: DataTypes.TEXT,
      phone_bidx: DataTypes.STRING(64),
      locale: DataTypes.STRING(8),
      status: DataTypes.STRING(16),
      wecom_userid: DataTypes.STRING(64),
      wecom_left_at: DataTypes.DATE(3),
      last_login_at: DataTypes.DATE(3),
    }),
  };
}

export type OrgModels = ReturnType<typeof defineOrgModels>;
