/** Console texts of the shops page (platform shops and their default stores), in both languages. */
const zhCN = {
  description: '各电商平台的店铺及其默认门店：订单规则按“就近门店”分派但无法确定买家位置时，订单交给店铺的默认门店。只显示默认门店在你数据范围内的店铺。',
  all: '全部平台',
  platform: '平台',
  shopId: '店铺 ID',
  name: '店铺名称',
  defaultStore: '默认门店',
  noDefault: '未设置',
  add: '新增店铺',
  addTitle: '新增店铺',
  saved: '已保存店铺「{name}」',
  empty: '还没有店铺。接入电商插件后，在这里登记店铺并设置默认门店。',
  demoPush: '推送模拟订单',
  demoPushed: '{platform} 模拟订单 {id} 已推送，稍后可在电商订单与工单中看到。',
  demoQueued: '{platform} 模拟订单 {id} 已生成，将在下一次拉取（1 分钟内）到达。',
};

const enUS: typeof zhCN = {
  description: "Shops on each platform and their default store: when a rule routes to the nearest store but the buyer's position is unknown, the order goes to the shop's default store. Only shops whose default store is in your data scope are shown.",
  all: 'All platforms',
  platform: 'Platform',
  shopId: 'Shop ID',
  name: 'Shop name',
  defaultStore: 'Default store',
  noDefault: 'Not set',
  add: 'Add shop',
  addTitle: 'Add a shop',
  saved: 'Shop "{name}" saved',
  empty: 'No shops yet. Once a shop plugin is connected, register its shops here and choose their default stores.',
  demoPush: 'Push a simulated order',
  demoPushed: '{platform} simulated order {id} pushed; it shows in Orders and Work orders shortly.',
  demoQueued: '{platform} simulated order {id} placed; it arrives with the next pull (within a minute).',
};

export default { 'zh-CN': zhCN, 'en-US': enUS };
