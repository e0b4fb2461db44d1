// Deleting the account: a confirmation dialog (a modal <dialog>: focus stays inside,
// Escape cancels, Cancel has the focus first), then DELETE /api/v1/users/me and
// POST /api/v1/auth/logout, which clears this browser's cookies.

import { del, post } from '../api.js';

/** Wire the button and the dialog. `onDeleted()` once the account is gone;
 * `onFailure(error)` when it could not be deleted. */
export function bindDeletion({ onDeleted, onFailure }) {
  const dialog = document.getElementById('delete-dialog');
  const opener = document.getElementById('delete-account');
  opener.addEventListener('click', () => {
    dialog.returnValue = '';
    dialog.showModal();
  });
  dialog.addEventListener('close', async () => {
    if (dialog.returnValue !== 'delete') {
      opener.focus();
      return;
    }
    opener.disabled = true;
    try {
      await del('/api/v1/users/me');
    } catch (error) {
      opener.disabled = false;
      onFailure(error);
      return;
    }
    try {
      await post('/api/v1/auth/logout');
    } catch {
      // The account is gone; its sessions end with it even if this call failed.
    }
    opener.disabled = false;
    onDeleted();
  });
}
