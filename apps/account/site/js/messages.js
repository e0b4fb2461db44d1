// What a person reads for each error code of the APIs (`{"code", "detail"}`) and of the
// login callback (`/login/error?error=<code>`, the same codes in lower case).

const SIGN_IN_AGAIN = 'Please sign in again.';
const TRY_AGAIN = 'Please try again in a moment.';
const UNAVAILABLE = `The service is temporarily unavailable. ${TRY_AGAIN}`;

const MESSAGES = {
  // Signed out, for one reason or another.
  TOKEN_MISSING: 'You are not signed in.',
  TOKEN_EXPIRED: `Your sign-in has expired. ${SIGN_IN_AGAIN}`,
  TOKEN_REVOKED: `This session has ended. ${SIGN_IN_AGAIN}`,
  TOKEN_INVALID: `Your sign-in is no longer valid. ${SIGN_IN_AGAIN}`,
  TOKEN_MALFORMED: `Your sign-in is no longer valid. ${SIGN_IN_AGAIN}`,
  TOKEN_TYPE_INVALID: `Your sign-in is no longer valid. ${SIGN_IN_AGAIN}`,
  REFRESH_REUSED: `For your safety this session was ended. ${SIGN_IN_AGAIN}`,
  USER_NOT_FOUND: 'This account no longer exists.',
  SESSION_NOT_FOUND: 'That session has already ended.',
  // The profile form.
  NICKNAME_INVALID:
    'A nickname has 1 to 20 characters, with no control or invisible characters.',
  PHONE_NUMBER_INVALID: 'Enter a Korean mobile number, such as 010-1234-5678.',
  PROFILE_CHANGE_EMPTY: 'Nothing to save: change the nickname or the phone number first.',
  REQUEST_INVALID: 'The request was not accepted. Check what you entered.',
  // Starting a sign-in.
  PROVIDER_NOT_FOUND: 'This sign-in method does not exist.',
  PROVIDER_NOT_CONFIGURED: 'This sign-in method is not available.',
  REDIRECT_URI_NOT_ALLOWED:
    'Sign-in is not allowed from this address. Open the account page at its usual address.',
  FRONTEND_ORIGIN_NOT_ALLOWED:
    'Sign-in is not allowed from this address. Open the account page at its usual address.',
  PROVIDER_ERROR: `The sign-in provider did not answer as expected. ${TRY_AGAIN}`,
  // The login callback's outcomes.
  INVALID_STATE: 'That sign-in took too long or was already used. Please start again.',
  PROVIDER_MISMATCH: 'That sign-in did not match the method you chose. Please start again.',
  ACCESS_DENIED: 'The sign-in was cancelled at the provider.',
  ID_TOKEN_INVALID: "The provider's answer could not be verified. Please start again.",
  NONCE_MISMATCH: "The provider's answer could not be verified. Please start again.",
  USERS_REJECTED: 'Your profile at the provider could not be used to sign in.',
  SERVER_ERROR: `Something went wrong on our side. ${TRY_AGAIN}`,
  // Dependencies and limits.
  USERS_UNAVAILABLE: UNAVAILABLE,
  STATE_STORE_UNAVAILABLE: UNAVAILABLE,
  REVOCATION_STATE_UNAVAILABLE: UNAVAILABLE,
  DEPENDENCY_UNAVAILABLE: UNAVAILABLE,
  INTERNAL_ERROR: `Something went wrong on our side. ${TRY_AGAIN}`,
  RATE_LIMITED: 'Too many attempts. Please wait a little and try again.',
  NETWORK_ERROR: 'The service could not be reached. Check your connection and try again.',
};

/** A readable sentence for `code` (any case); `status` picks one when the code is unknown. */
export function messageFor(code, status = 0) {
  const known = MESSAGES[String(code || '').toUpperCase()];
  if (known) return known;
  if (status === 429) return MESSAGES.RATE_LIMITED;
  if (status >= 500 || status === 0) return UNAVAILABLE;
  return `The request failed (${code || status}). ${TRY_AGAIN}`;
}
