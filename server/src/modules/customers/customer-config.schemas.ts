import { z } from 'zod';

const localized = z.object({ 'zh-CN': z.string(), 'en-US': z.string() });

export const stageCodePattern = /^[a-z][a-z0-9_]{0,31}$/;

export const stageCreateBody = z.object({
  code: z.string().trim().regex(stageCodePattern, 'lowercase letters, digits and _, starting with a letter (at most 32)'),
  nameZh: z.string().trim().min(1, 'required').max(64),
  nameEn: z.string().trim().min(1, 'required').max(64),
});
export const stagePatchBody = stageCreateBody.omit({ code: true }).partial();
export const stageDeleteQuery = z.object({ replaceWith: z.string().trim().max(32).optional() });
export const orderBody = z.object({ ids: z.array(z.number().int().positive()).min(1).max(200) });

export const stage = z.object({
  id: z.number().int(),
  code: z.string(),
  name: localized,
  nameZh: z.string(),
  nameEn: z.string(),
  sortOrder: z.number().int(),
  customerCount: z.number().int().describe('customers in your data scope at this stage'),
});

export const customFieldTypes = ['text', 'number', 'date', 'select', 'multiselect'] as const;

const options = z
  .array(z.string().trim().min(1, 'an option cannot be empty').max(64))
  .max(100)
  .refine((list) => new Set(list).size === list.length, 'options must be distinct');

export const fieldCreateBody = z
  .object({
    key: z.string().trim().regex(/^[a-z][a-z0-9_]{0,47}$/, 'lowercase letters, digits and _, starting with a letter (at most 48)'),
    label: z.string().trim().min(1, 'required').max(64),
    type: z.enum(customFieldTypes),
    options: options.optional(),
    required: z.boolean().default(false),
  })
  .superRefine((value, ctx) => {
    const choice = value.type === 'select' || value.type === 'multiselect';
    if (choice && !value.options?.length) ctx.addIssue({ code: 'custom', path: ['options'], message: `a ${value.type} field needs at least one option` });
    if (!choice && value.options?.length) ctx.addIssue({ code: 'custom', path: ['options'], message: `a ${value.type} field has no options` });
  });
export const fieldPatchBody = z.object({ label: z.string().trim().min(1, 'required').max(64).optional(), options: options.optional(), required: z.boolean().optional() });

export const fieldDef = z.object({
  id: z.number().int(),
  key: z.string(),
  label: z.string(),
  type: z.enum(customFieldTypes),
  options: z.array(z.string()),
  required: z.boolean(),
  sortOrder: z.number().int(),
});

export type StageCreate = z.infer<typeof stageCreateBody>;
export type StagePatch = z.infer<typeof stagePatchBody>;
export type FieldCreate = z.infer<typeof fieldCreateBody>;
export type FieldPatch = z.infer<typeof fieldPatchBody>;
export type FieldDef = z.infer<typeof fieldDef>;
