import { definePlugin } from '@scrm/plugin-sdk';
import { pullConnector } from '../../commerce-core/src';
import { pullJd, readJdOrder } from './jd-pull';
import { jdSettings } from './jd-settings';

const connector = pullConnector({ pull: pullJd, toOrder: readJdOrder });

/** 京东 POP orders: polled by modified time every minute (or on "pull now") with signed JOS calls. */
export default definePlugin({
  name: 'jd',
  version: '0.1.0',
  requires: { core: '^0.1.0' },
  title: { 'zh-CN': '京东订单', 'en-US': 'JD orders' },
  description: { 'zh-CN': '按修改时间增量拉取京东 POP 订单（JOS 签名调用，游标续拉）', 'en-US': 'Polls JD POP orders by modified time (signed JOS calls, durable cursor)' },
  settings: jdSettings,
  secretKeys: ['appSecret', 'accessToken'],
  jobs: connector.jobs,
  routes: connector.routes,
  orderIntake: connector.orderIntake,
});
