import { definePlugin } from '@scrm/plugin-sdk';
import { pullConnector } from '../../commerce-core/src';
import { pullPinduoduo, readPddOrder } from './pdd-pull';
import { pddSettings } from './pdd-settings';

const connector = pullConnector({ pull: pullPinduoduo, toOrder: readPddOrder });

/** 拼多多 orders: polled by updated time every minute (or on "pull now") with signed open-platform calls. */
export default definePlugin({
  name: 'pinduoduo',
  version: '0.1.0',
  requires: { core: '^0.1.0' },
  title: { 'zh-CN': '拼多多订单', 'en-US': 'Pinduoduo orders' },
  description: { 'zh-CN': '增量拉取拼多多订单（pdd.order.number.list.increment.get，签名调用，游标续拉）', 'en-US': 'Polls Pinduoduo orders incrementally (signed calls, durable cursor)' },
  settings: pddSettings,
  secretKeys: ['clientSecret', 'accessToken'],
  jobs: connector.jobs,
  routes: connector.routes,
  orderIntake: connector.orderIntake,
});
