// Asking before the console does something (ElMessageBox.confirm, which rejects when the person
// says no or closes the box): true when they confirmed. The other button is 取消; the box is a
// warning unless `options` say otherwise.
import { ElMessageBox, type ElMessageBoxOptions } from 'element-plus';
import { t } from '@/shared/i18n';

export async function confirmed(message: string, title: string, confirmText: string, options: ElMessageBoxOptions = {}): Promise<boolean> {
  try {
    await ElMessageBox.confirm(message, title, { confirmButtonText: confirmText, cancelButtonText: t('common.cancel'), type: 'warning', ...options });
    return true;
  } catch {
    return false;
  }
}
