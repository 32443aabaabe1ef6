import { definePlugin } from '@scrm/plugin-sdk';

/** A test plugin written for a later core, and needing a plugin that is not installed. */
export default definePlugin({
  name: 'too-new',
  version: '2.0.0',
  requires: { core: '^9.0.0', plugins: { missing: '^1.0.0' } },
  title: { 'zh-CN': '太新', 'en-US': 'Too new' },
});
