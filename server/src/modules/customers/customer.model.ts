import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../../core/db/define-table';

export interface CustomerRow extends Timestamps {
  id: number;
  store_id: number;
  owner_user_id: number | null;
  name: string;
  phone_enc: string | null;
  phone_bidx: string | null;
  address_enc: string | null;
  address_bidx: string | null;
}

export const customerScope = { store: 'store_id', owner: 'owner_user_id' } as const;

export const defineCustomerModel = (sequelize: Sequelize) =>
  defineTable<CustomerRow, 'id' | 'created_at' | 'updated_at' | 'owner_user_id' | 'phone_enc' | 'phone_bidx' | 'address_enc' | 'address_bidx'>(
    sequelize,
    'customers',
    {
      id,
      store_id: DataTypes.BIGINT,
      owner_user_id: DataTypes.BIGINT,
      name: DataTypes.STRING(128),
      phone_enc: DataTypes.TEXT,
      phone_bidx: DataTypes.STRING(64),
      address_enc: DataTypes.TEXT,
      address_bidx: DataTypes.STRING(64),
    },
  );
