// How dates and sessions read on the page.

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });

export function dateTime(iso) {
  return iso ? DATE_TIME.format(new Date(iso)) : '—';
}

export function date(iso) {
  return iso ? DATE.format(new Date(iso)) : '—';
}

/** `<time>` holding `iso`, shown as a date and time. */
export function timeElement(iso) {
  const element = document.createElement('time');
  if (iso) element.dateTime = iso;
  element.textContent = dateTime(iso);
  return element;
}

/** "Mobile", "Desktop", ... from auth's parsed user agent, else null. */
export function sessionDevice(session) {
  const parts = [session.device, session.os].filter((part) => part);
  return parts.length ? parts.join(' · ') : null;
}

/** The browser as auth parsed it, else null (the raw user agent is shown instead). */
export function sessionBrowser(session) {
  return session.browser || null;
}
