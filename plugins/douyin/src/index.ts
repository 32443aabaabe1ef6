import { definePlugin } from '@scrm/plugin-sdk';
import { douyinSettings } from './douyin-settings';
import { douyinOrderIntake } from './douyin-intake';
import { handlePush } from './douyin-webhook';

/** 抖店 orders: 消息推送 to `/api/plugins/douyin/push`, order details from the open API. */
export default definePlugin({
  name: 'douyin',
  version: '0.1.0',
  requires: { core: '^0.1.0' },
  title: { 'zh-CN': '抖店订单', 'en-US': 'Douyin shop orders' },
  description: { 'zh-CN': '接收抖店消息推送（event-sign 验签），先落库后应答，再拉取订单详情，按订单规则生成工单', 'en-US': 'Receives signed Douyin shop message push, stores it before answering, then fetches order details and turns orders into work orders by the order rules' },
  settings: douyinSettings,
  secretKeys: ['appSecret', 'accessToken'],
  routes: [{ method: 'post', path: '/push', auth: 'public', handler: handlePush }],
  orderIntake: douyinOrderIntake,
});
