import { definePlugin } from '@scrm/plugin-sdk';
import { pullConnector } from '../../commerce-core/src';
import { pullTaobao, readTaobaoTrade } from './taobao-pull';
import { taobaoSettings } from './taobao-settings';

const connector = pullConnector({ pull: pullTaobao, toOrder: readTaobaoTrade });

/** 淘宝/天猫 orders: TMC messages consumed every minute (or on "pull now"), trades fetched with signed TOP calls. */
export default definePlugin({
  name: 'taobao',
  version: '0.1.0',
  requires: { core: '^0.1.0' },
  title: { 'zh-CN': '淘宝/天猫订单', 'en-US': 'Taobao / Tmall orders' },
  description: { 'zh-CN': '通过 TMC 消息服务（TOP 签名调用）接收订单变更，拉取交易详情', 'en-US': 'Receives order changes through TMC (signed TOP calls) and fetches trade details' },
  settings: taobaoSettings,
  secretKeys: ['appSecret', 'sessionKey'],
  jobs: connector.jobs,
  routes: connector.routes,
  orderIntake: connector.orderIntake,
});
