import { ElMessageBox } from 'element-plus';
import { useI18n } from 'vue-i18n';

/** Confirm boxes with translated buttons; resolve to true when confirmed. */
export function useConfirm() {
  const { t } = useI18n();

  async function confirm(message: string, opts: { title?: string; danger?: boolean; confirmText?: string } = {}): Promise<boolean> {
    try {
      await ElMessageBox.confirm(message, opts.title ?? t('common.confirm'), {
        type: opts.danger ? 'warning' : 'info',
        confirmButtonText: opts.confirmText ?? t('common.confirm'),
        cancelButtonText: t('common.cancel'),
        confirmButtonClass: opts.danger ? 'el-button--danger' : '',
        autofocus: false,
      });
      return true;
    } catch {
      return false;
    }
  }

  function confirmDelete(name: string): Promise<boolean> {
    return confirm(t('common.deleteConfirm', { name }), { title: t('common.deleteTitle'), danger: true, confirmText: t('common.delete') });
  }

  return { confirm, confirmDelete };
}
