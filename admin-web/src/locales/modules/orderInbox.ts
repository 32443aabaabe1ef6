/** Console texts of the order inbox page (deliveries received from the shop platforms), in both languages. */
const zhCN = {
  description: '电商平台推送或拉取到的每一条订单消息：先落库再应答，随后由后台任务接入订单。重复推送只记一次；多次处理失败的消息成为死信，修复原因（如启用插件、改正设置）后可重放。只有数据范围为全部门店的用户可查看。',
  id: 'ID',
  receivedAt: '接收时间',
  platform: '平台',
  allPlatforms: '全部平台',
  platformOrderId: '平台订单号',
  event: '消息类型',
  deliveries: '推送次数',
  status: '状态',
  attempts: '处理次数',
  lastError: '最近错误',
  order: '订单',
  processedAt: '处理时间',
  statuses: { processed: '已接入', pending: '待处理', dead: '死信' },
  deadAlert: '有 {count} 条订单消息处理失败已放弃，订单尚未接入。修复原因后可重放。',
  replay: '重放',
  replayConfirm: '重新处理订单消息 #{id}？',
  replayed: '已重新排队处理',
};

const enUS: typeof zhCN = {
  description: 'Every order message pushed by or pulled from a shop platform: stored before it is answered, then taken in by a background job. A repeated push is kept once; a message whose processing keeps failing becomes a dead letter, which you replay once the cause is fixed (a plugin enabled, a setting corrected). Only users whose data scope is all stores may open it.',
  id: 'ID',
  receivedAt: 'Received',
  platform: 'Platform',
  allPlatforms: 'All platforms',
  platformOrderId: 'Platform order id',
  event: 'Message',
  deliveries: 'Pushes',
  status: 'Status',
  attempts: 'Attempts',
  lastError: 'Last error',
  order: 'Order',
  processedAt: 'Processed',
  statuses: { processed: 'Taken in', pending: 'Pending', dead: 'Dead letter' },
  deadAlert: '{count} order messages gave up after repeated failures; their orders are not taken in yet. Replay them once the cause is fixed.',
  replay: 'Replay',
  replayConfirm: 'Process order message #{id} again?',
  replayed: 'Queued for processing again',
};

export default { 'zh-CN': zhCN, 'en-US': enUS };
