import { computed, nextTick, reactive, ref, useTemplateRef } from 'vue';
import type { FormInstance } from 'element-plus';

import { isApiError } from '@/api/request';

/**
 * Create/edit dialog state around an element-plus form.
 * Server-side validation errors (`VALIDATION_FAILED` with `details[].path` like `body.name`)
 * are shown under the matching form field. The template binds the form with `ref="dialogForm"`.
 */
export function useCrudDialog<F extends Record<string, unknown>, R extends { id: number | string }>(emptyForm: () => F, formRefKey = 'dialogForm') {
  const visible = ref(false);
  const saving = ref(false);
  const editing = ref<R | null>(null);
  const form = reactive(emptyForm()) as F;
  /** bind with `ref="dialogForm"` on the el-form */
  const formRef = useTemplateRef<FormInstance>(formRefKey);
  const serverErrors = reactive<Record<string, string>>({});

  const isEdit = computed(() => editing.value !== null);

  function clearServerErrors(): void {
    for (const k of Object.keys(serverErrors)) delete serverErrors[k];
  }

  function open(row: R | null, fill?: (row: R) => Partial<F>): void {
    editing.value = row;
    clearServerErrors();
    Object.assign(form, emptyForm(), row && fill ? fill(row) : {});
    visible.value = true;
    void nextTick(() => formRef.value?.clearValidate());
  }

  /** Validate, run `save`, close on success. Returns true when saved. */
  async function submit(save: (form: F, editing: R | null) => Promise<unknown>): Promise<boolean> {
    if (!formRef.value) return false;
    clearServerErrors();
    const valid = await formRef.value.validate().catch(() => false);
    if (!valid) return false;
    saving.value = true;
    try {
      await save(form, editing.value);
      visible.value = false;
      return true;
    } catch (e) {
      if (isApiError(e) && e.code === 'VALIDATION_FAILED' && Array.isArray(e.details)) {
        for (const d of e.details as Array<{ path?: string; message?: string }>) {
          const field = (d.path ?? '').replace(/^body\./, '').split('.')[0];
          if (field && field in form) serverErrors[field] = d.message ?? '';
        }
      }
      return false;
    } finally {
      saving.value = false;
    }
  }

  return { visible, saving, editing, form, formRef, serverErrors, isEdit, open, submit };
}
