import { definePlugin } from '@scrm/plugin-sdk';

/** A shop plugin for the rule tests: issues a coupon for every `coupon.issue`, naming it after the code and customer. */
export default definePlugin({
  name: 'coupon-shop',
  version: '1.0.0',
  requires: { core: '>=0.1.0' },
  title: { 'zh-CN': '测试商城优惠券', 'en-US': 'Test shop coupons' },
  filters: {
    async 'coupon.issue'(input) {
      return { ...input, issued: { couponId: `${input.couponCode}-${input.customerId}`, expiresAt: '2030-01-01T00:00:00.000Z' } };
    },
  },
});
