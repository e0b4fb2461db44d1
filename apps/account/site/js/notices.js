// The page's two live regions (index.html): `#status` (polite: what just happened) and
// `#alert` (assertive: what failed). Screen readers read each new text once.

const status = () => document.getElementById('status');
const alertRegion = () => document.getElementById('alert');

function say(region, text) {
  // Emptied first, so the same sentence twice in a row is read twice.
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = text;
  }, 50);
}

/** Tell what just happened ("Profile saved."). */
export function announce(text) {
  alertRegion().textContent = '';
  say(status(), text);
}

/** Tell what failed. */
export function warn(text) {
  status().textContent = '';
  say(alertRegion(), text);
}

export function clearNotices() {
  status().textContent = '';
  alertRegion().textContent = '';
}
