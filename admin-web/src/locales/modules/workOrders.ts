/** Console texts for this area, in both languages (the type keeps en-US in step with zh-CN). */
const zhCN = {};

const enUS: typeof zhCN = {};

export default { 'zh-CN': zhCN, 'en-US': enUS };
