/** A test plugin whose manifest is wrong in several ways at once. */
export default {
  name: 'Bad_Name',
  version: 'one',
  requires: { core: '^9.0.0' },
  title: { 'zh-CN': '坏', 'en-US': 'Bad' },
  hooks: { 'customer.exploded': async () => undefined },
};
