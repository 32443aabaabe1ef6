import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../../core/db/define-table';

export type FollowStatus = 'active' | 'deleted_by_customer' | 'deleted_by_employee' | 'transferred';

/** An employee following a customer (WeCom's follow_user), with that employee's remark and tags. */
export interface CustomerFollowRow extends Timestamps {
  id: number;
  customer_id: number;
  wecom_userid: string;
  /** Our user for the employee, once the directory sync knows them. */
  user_id: number | null;
  remark: string | null;
  description: string | null;
  remark_corp_name: string | null;
  /** Encrypted JSON array of the remark mobiles; the blind index is of the first one. */
  remark_mobiles_enc: string | null;
  remark_mobiles_bidx: string | null;
  add_way: number | null;
  state: string | null;
  oper_userid: string | null;
  added_at: Date | null;
  status: FollowStatus;
  lost_at: Date | null;
  lost_reason: string | null;
}

export interface TagGroupRow extends Timestamps {
  id: number;
  wecom_group_id: string | null;
  name: string;
  sort_order: number;
}

export interface TagRow extends Timestamps {
  id: number;
  group_id: number;
  wecom_tag_id: string | null;
  name: string;
  sort_order: number;
}

export interface CustomerTagRow {
  id: number;
  customer_id: number;
  tag_id: number;
  /** Whose follow relation carries the tag in WeCom. */
  wecom_userid: string;
  created_at: Date;
}

export interface GroupChatRow extends Timestamps {
  id: number;
  chat_id: string;
  name: string | null;
  owner_wecom_userid: string | null;
  store_id: number | null;
  notice: string | null;
  wecom_status: number;
  dismissed_at: Date | null;
  member_count: number;
  chat_created_at: Date | null;
}

export interface GroupChatMemberRow extends Timestamps {
  id: number;
  group_chat_id: number;
  member_id: string;
  /** 1 employee, 2 external contact. */
  member_type: number;
  customer_id: number | null;
  name: string | null;
  group_nickname: string | null;
  unionid: string | null;
  join_scene: number | null;
  invitor_userid: string | null;
  joined_at: Date | null;
}

export interface CustomerTimelineRow {
  id: number;
  customer_id: number;
  store_id: number | null;
  kind: string;
  actor_user_id: number | null;
  wecom_userid: string | null;
  summary: string | null;
  /** JSON details of the entry. */
  payload: string | null;
  dedupe_key: string | null;
  occurred_at: Date;
  created_at: Date;
}

export interface CustomerNoteRow extends Timestamps {
  id: number;
  customer_id: number;
  author_user_id: number | null;
  body: string;
}

export interface CustomerStageRow extends Timestamps {
  id: number;
  code: string;
  name_zh: string;
  name_en: string;
  sort_order: number;
}

export type CustomFieldType = 'text' | 'number' | 'date' | 'select' | 'multiselect';

export interface CustomerFieldDefRow extends Timestamps {
  id: number;
  field_key: string;
  label: string;
  field_type: CustomFieldType;
  /** JSON array of option strings, for select and multiselect. */
  options: string | null;
  required: boolean;
  sort_order: number;
}

type Generated = 'id' | 'created_at' | 'updated_at';

export function defineCustomerStoreModels(sequelize: Sequelize) {
  return {
    CustomerFollow: defineTable<
      CustomerFollowRow,
      Generated | 'user_id' | 'remark' | 'description' | 'remark_corp_name' | 'remark_mobiles_enc' | 'remark_mobiles_bidx' | 'add_way' | 'state' | 'oper_userid' | 'added_at' | 'status' | 'lost_at' | 'lost_reason'
    >(sequelize, 'customer_follows', {
      id,
      customer_id: DataTypes.BIGINT,
      wecom_userid: DataTypes.STRING(64),
      user_id: DataTypes.BIGINT,
      remark: DataTypes.STRING(255),
      description: DataTypes.STRING(512),
      remark_corp_name: DataTypes.STRING(128),
      remark_mobiles_enc: DataTypes.TEXT,
      remark_mobiles_bidx: DataTypes.STRING(64),
      add_way: DataTypes.INTEGER,
      state: DataTypes.STRING(64),
      oper_userid: DataTypes.STRING(64),
      added_at: DataTypes.DATE(3),
      status: DataTypes.STRING(24),
      lost_at: DataTypes.DATE(3),
      lost_reason: DataTypes.STRING(64),
    }),
    TagGroup: defineTable<TagGroupRow, Generated | 'wecom_group_id' | 'sort_order'>(sequelize, 'tag_groups', {
      id,
      wecom_group_id: DataTypes.STRING(64),
      name: DataTypes.STRING(64),
      sort_order: DataTypes.INTEGER,
    }),
    Tag: defineTable<TagRow, Generated | 'wecom_tag_id' | 'sort_order'>(sequelize, 'tags', {
      id,
      group_id: DataTypes.BIGINT,
      wecom_tag_id: DataTypes.STRING(64),
      name: DataTypes.STRING(64),
      sort_order: DataTypes.INTEGER,
    }),
    CustomerTag: defineTable<CustomerTagRow, 'id' | 'created_at' | 'wecom_userid'>(
      sequelize,
      'customer_tags',
      { id, customer_id: DataTypes.BIGINT, tag_id: DataTypes.BIGINT, wecom_userid: DataTypes.STRING(64), created_at: DataTypes.DATE(3) },
      { timestamps: false },
    ),
    GroupChat: defineTable<GroupChatRow, Generated | 'name' | 'owner_wecom_userid' | 'store_id' | 'notice' | 'wecom_status' | 'dismissed_at' | 'member_count' | 'chat_created_at'>(
      sequelize,
      'group_chats',
      {
        id,
        chat_id: DataTypes.STRING(64),
        name: DataTypes.STRING(255),
        owner_wecom_userid: DataTypes.STRING(64),
        store_id: DataTypes.BIGINT,
        notice: DataTypes.TEXT,
        wecom_status: DataTypes.INTEGER,
        dismissed_at: DataTypes.DATE(3),
        member_count: DataTypes.INTEGER,
        chat_created_at: DataTypes.DATE(3),
      },
    ),
    GroupChatMember: defineTable<GroupChatMemberRow, Generated | 'customer_id' | 'name' | 'group_nickname' | 'unionid' | 'join_scene' | 'invitor_userid' | 'joined_at'>(
      sequelize,
      'group_chat_members',
      {
        id,
        group_chat_id: DataTypes.BIGINT,
        member_id: DataTypes.STRING(64),
        member_type: DataTypes.INTEGER,
        customer_id: DataTypes.BIGINT,
        name: DataTypes.STRING(128),
        group_nickname: DataTypes.STRING(128),
        unionid: DataTypes.STRING(64),
        join_scene: DataTypes.INTEGER,
        invitor_userid: DataTypes.STRING(64),
        joined_at: DataTypes.DATE(3),
      },
    ),
    CustomerTimeline: defineTable<CustomerTimelineRow, 'id' | 'created_at' | 'store_id' | 'actor_user_id' | 'wecom_userid' | 'summary' | 'payload' | 'dedupe_key'>(
      sequelize,
      'customer_timeline',
      {
        id,
        customer_id: DataTypes.BIGINT,
        store_id: DataTypes.BIGINT,
        kind: DataTypes.STRING(48),
        actor_user_id: DataTypes.BIGINT,
        wecom_userid: DataTypes.STRING(64),
        summary: DataTypes.STRING(512),
        payload: DataTypes.TEXT,
        dedupe_key: DataTypes.STRING(191),
        occurred_at: DataTypes.DATE(3),
        created_at: DataTypes.DATE(3),
      },
      { timestamps: false },
    ),
    CustomerNote: defineTable<CustomerNoteRow, Generated | 'author_user_id'>(sequelize, 'customer_notes', {
      id,
      customer_id: DataTypes.BIGINT,
      author_user_id: DataTypes.BIGINT,
      body: DataTypes.TEXT,
    }),
    CustomerStage: defineTable<CustomerStageRow, Generated | 'sort_order'>(sequelize, 'customer_stages', {
      id,
      code: DataTypes.STRING(32),
      name_zh: DataTypes.STRING(64),
      name_en: DataTypes.STRING(64),
      sort_order: DataTypes.INTEGER,
    }),
    CustomerFieldDef: defineTable<CustomerFieldDefRow, Generated | 'options' | 'required' | 'sort_order'>(sequelize, 'customer_field_defs', {
      id,
      field_key: DataTypes.STRING(48),
      label: DataTypes.STRING(64),
      field_type: DataTypes.STRING(16),
      options: DataTypes.TEXT,
      required: DataTypes.BOOLEAN,
      sort_order: DataTypes.INTEGER,
    }),
  };
}
