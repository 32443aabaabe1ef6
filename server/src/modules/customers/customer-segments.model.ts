import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../../core/db/define-table';

/** A saved customer filter: its owner's, or everyone's when shared. */
export interface CustomerSegmentRow extends Timestamps {
  id: number;
  owner_user_id: number;
  name: string;
  /** JSON of the list filter. */
  filter: string;
  shared: boolean;
}

export const defineCustomerSegmentModel = (sequelize: Sequelize) =>
  defineTable<CustomerSegmentRow, 'id' | 'created_at' | 'updated_at' | 'shared'>(sequelize, 'customer_segments', {
    id,
    owner_user_id: DataTypes.BIGINT,
    name: DataTypes.STRING(64),
    filter: DataTypes.TEXT,
    shared: DataTypes.BOOLEAN,
  });
