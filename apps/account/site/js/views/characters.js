// The characters card: what the caller owns (GET /api/v1/users/me/characters).

import { get } from '../api.js';
import { date } from '../format.js';

function characterItem(character) {
  const item = document.createElement('li');
  const name = document.createElement('p');
  name.className = 'name';
  name.textContent = character.name;
  const meta = document.createElement('p');
  meta.className = 'meta';
  meta.textContent = [character.type, `since ${date(character.acquired_at)}`]
    .filter((part) => part)
    .join(' · ');
  item.append(name, meta);
  if (character.dialog) {
    const dialog = document.createElement('blockquote');
    dialog.textContent = character.dialog;
    item.append(dialog);
  }
  return item;
}

/** Load and show the characters.
 * @throws {ApiError} */
export async function loadCharacters() {
  const characters = await get('/api/v1/users/me/characters');
  const list = document.getElementById('characters');
  if (characters.length === 0) {
    const none = document.createElement('li');
    none.textContent = 'No characters yet.';
    list.replaceChildren(none);
  } else {
    list.replaceChildren(...characters.map(characterItem));
  }
}
