// The profile card: what users knows of the caller (GET /api/v1/users/me), and the form
// that changes the nickname and the phone number (PATCH /api/v1/users/me, only the fields
// that changed). The API's error code for a field is shown beside that field, tied to it
// by aria-describedby and aria-invalid.

import { patch } from '../api.js';
import { date } from '../format.js';
import { messageFor } from '../messages.js';
import { announce, warn } from '../notices.js';

const FIELD_OF_CODE = { NICKNAME_INVALID: 'nickname', PHONE_NUMBER_INVALID: 'phone' };
let current = null;

function text(id, value) {
  document.getElementById(id).textContent = value || '—';
}

function setFieldError(field, message) {
  const input = document.getElementById(field);
  const error = document.getElementById(`${field}-error`);
  error.textContent = message || '';
  error.hidden = !message;
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

function setFormError(message) {
  const error = document.getElementById('profile-form-error');
  error.textContent = message || '';
  error.hidden = !message;
}

function clearErrors() {
  setFieldError('nickname', null);
  setFieldError('phone', null);
  setFormError(null);
}

/** Show `profile` (the body of GET or PATCH /me). */
export function renderProfile(profile) {
  current = profile;
  text('profile-display-name', profile.display_name);
  text('profile-email', profile.email);
  text('profile-provider', profile.provider);
  text('profile-linked', (profile.linked_providers || []).join(', '));
  text('profile-created', date(profile.created_at));
  text('profile-user-id', profile.user_id);
  document.getElementById('nickname').value = profile.nickname || '';
  document.getElementById('phone').value = profile.phone_number || '';
  document.getElementById('account-title').textContent = `Hello, ${profile.display_name}`;
  clearErrors();
}

/** Wire the form; `onFailure(error)` gets what is not about a field (signed out, 5xx). */
export function bindProfileForm(onFailure) {
  const form = document.getElementById('profile-form');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    const nickname = document.getElementById('nickname').value;
    const phone = document.getElementById('phone').value;
    const change = {};
    if (nickname !== (current?.nickname || '')) change.nickname = nickname;
    if (phone !== (current?.phone_number || '')) change.phone_number = phone;
    const button = document.getElementById('profile-save');
    button.disabled = true;
    try {
      renderProfile(await patch('/api/v1/users/me', change));
      announce('Profile saved.');
    } catch (error) {
      const field = FIELD_OF_CODE[error.code];
      if (field) {
        setFieldError(field, messageFor(error.code));
        document.getElementById(field).focus();
        warn(`Not saved: ${messageFor(error.code)}`);
      } else if (error.status === 422) {
        setFormError(messageFor(error.code));
        warn(`Not saved: ${messageFor(error.code)}`);
      } else {
        onFailure(error);
      }
    } finally {
      button.disabled = false;
    }
  });
}
