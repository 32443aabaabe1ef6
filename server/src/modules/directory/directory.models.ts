import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../../core/db/define-table';

/** A WeCom department, mirrored, with the admin's mapping to a store and a role. */
export interface WecomDepartmentRow extends Timestamps {
  id: number;
  wecom_id: number;
  name: string;
  parent_wecom_id: number | null;
  sort_order: number;
  store_id: number | null;
  role_id: number | null;
  seen_run_id: number | null;
  deleted_at: Date | null;
  visible: boolean;
}

/** 1 active, 2 disabled, 4 not activated, 5 left. */
export type WecomEmployeeStatus = 1 | 2 | 4 | 5;

/** A WeCom employee, mirrored, and the user they became. */
export interface WecomEmployeeRow extends Timestamps {
  id: number;
  userid: string;
  name: string;
  /** JSON array of department ids. */
  department_ids: string;
  main_department_id: number | null;
  position: string | null;
  wecom_status: WecomEmployeeStatus;
  user_id: number | null;
  applied_role_id: number | null;
  applied_store_id: number | null;
  disabled_by_sync: boolean;
  seen_run_id: number | null;
  left_at: Date | null;
}

type Generated = 'id' | 'created_at' | 'updated_at';

export function defineDirectoryModels(sequelize: Sequelize) {
  return {
    WecomDepartment: defineTable<WecomDepartmentRow, Generated | 'store_id' | 'role_id' | 'seen_run_id' | 'deleted_at' | 'visible'>(sequelize, 'wecom_departments', {
      id,
      wecom_id: DataTypes.BIGINT,
      name: DataTypes.STRING(128),
      parent_wecom_id: DataTypes.BIGINT,
      sort_order: DataTypes.BIGINT,
      store_id: DataTypes.BIGINT,
      role_id: DataTypes.BIGINT,
      seen_run_id: DataTypes.BIGINT,
      deleted_at: DataTypes.DATE(3),
      visible: DataTypes.BOOLEAN,
    }),
    WecomEmployee: defineTable<WecomEmployeeRow, Generated | 'user_id' | 'applied_role_id' | 'applied_store_id' | 'disabled_by_sync' | 'seen_run_id' | 'left_at' | 'position'>(
      sequelize,
      'wecom_employees',
      {
        id,
        userid: DataTypes.STRING(64),
        name: DataTypes.STRING(128),
        department_ids: DataTypes.TEXT,
        main_department_id: DataTypes.BIGINT,
        position: DataTypes.STRING(128),
        wecom_status: DataTypes.INTEGER,
        user_id: DataTypes.BIGINT,
        applied_role_id: DataTypes.BIGINT,
        applied_store_id: DataTypes.BIGINT,
        disabled_by_sync: DataTypes.BOOLEAN,
        seen_run_id: DataTypes.BIGINT,
        left_at: DataTypes.DATE(3),
      },
    ),
  };
}
