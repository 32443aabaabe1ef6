import { assertUnreachable } from '../../../core/errors';
import type { RuleTrigger } from './rule.schemas';

/** The trigger in the reader's words, for the customer timeline ("自动化规则「X」触发：…"). */
export function triggerSummary(trigger: RuleTrigger, detail?: string): string {
  const withDetail = (text: string) => (detail ? `${text}（${detail}）` : text);
  switch (trigger.type) {
    case 'no_order_days':
      return `${trigger.days} 天未下单`;
    case 'date_field':
      return `日期字段 ${trigger.field} 当天`;
    case 'customer_added':
      return withDetail('新增客户');
    case 'tag_added':
      return withDetail('客户被打标签');
    case 'stage_changed':
      return withDetail('客户阶段变更');
    case 'order_created':
      return withDetail('客户下单');
    case 'order_refunded':
      return withDetail('订单退款');
    case 'work_order_completed':
      return withDetail('工单完成');
    default:
      return assertUnreachable(trigger);
  }
}
