import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../../core/db/define-table';

export interface BusinessCalendarRow extends Timestamps {
  id: number;
  code: string;
  name: string;
  time_zone: string;
  /** JSON of `WorkingHours`. */
  working_hours: string;
  chinese_holidays: boolean;
  /** JSON arrays of YYYY-MM-DD. */
  extra_holidays: string;
  extra_workdays: string;
}

export function defineCalendarModels(sequelize: Sequelize) {
  return {
    BusinessCalendar: defineTable<BusinessCalendarRow, 'id' | 'created_at' | 'updated_at'>(sequelize, 'business_calendars', {
      id,
      code: DataTypes.STRING(64),
      name: DataTypes.STRING(100),
      time_zone: DataTypes.STRING(64),
      working_hours: DataTypes.TEXT,
      chinese_holidays: DataTypes.BOOLEAN,
      extra_holidays: DataTypes.TEXT,
      extra_workdays: DataTypes.TEXT,
    }),
  };
}
