/** Why a row was not imported. Stored as the code; the error report words it in the reader's language. */
export const rowProblemCodes = [
  'required',
  'too_long',
  'invalid_phone',
  'unknown_store',
  'store_out_of_scope',
  'store_required',
  'unknown_stage',
  'unknown_tag',
  'ambiguous_tag',
  'invalid_number',
  'invalid_date',
  'invalid_option',
  'customer_out_of_scope',
  'customer_merged',
] as const;
export type RowProblemCode = (typeof rowProblemCodes)[number];

export type ReportLanguage = 'zh-CN' | 'en-US';

export const rowProblemText: Record<ReportLanguage, Record<RowProblemCode, string>> = {
  'zh-CN': {
    required: '必填项为空',
    too_long: '内容过长',
    invalid_phone: '手机号格式不正确',
    unknown_store: '门店编码不存在',
    store_out_of_scope: '门店不在你的数据范围内',
    store_required: '请填写门店编码（你只能导入到自己数据范围内的门店）',
    unknown_stage: '客户阶段不存在',
    unknown_tag: '标签不存在',
    ambiguous_tag: '有多个同名标签，请写成“标签组/标签”',
    invalid_number: '不是数字',
    invalid_date: '不是日期（YYYY-MM-DD）',
    invalid_option: '不是可选项之一',
    customer_out_of_scope: '该外部联系人属于你数据范围之外的门店',
    customer_merged: '该客户已被合并到其他客户',
  },
  'en-US': {
    required: 'required but empty',
    too_long: 'too long',
    invalid_phone: 'not a valid phone number',
    unknown_store: 'no store has this code',
    store_out_of_scope: 'the store is outside your data scope',
    store_required: 'a store code is required (you can import only into stores in your data scope)',
    unknown_stage: 'no such customer stage',
    unknown_tag: 'no such tag',
    ambiguous_tag: 'several tags have this name; write it as "group/tag"',
    invalid_number: 'not a number',
    invalid_date: 'not a date (YYYY-MM-DD)',
    invalid_option: 'not one of the options',
    customer_out_of_scope: 'this external contact belongs to a store outside your data scope',
    customer_merged: 'this customer was merged into another one',
  },
};

/** Headers of the error report and the template's help sheet. */
export const reportHeaders: Record<ReportLanguage, { row: string; column: string; value: string; reason: string }> = {
  'zh-CN': { row: '行号', column: '列', value: '内容', reason: '原因' },
  'en-US': { row: 'Row', column: 'Column', value: 'Value', reason: 'Reason' },
};
