"""Pure rules for where a login may send the browser (no open redirect)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from auth.application.oauth.exceptions.oauth import (
    FrontendOriginNotAllowedError,
    RedirectUriNotAllowedError,
)


class RedirectPolicy:
    """Allow-lists of OAuth redirect URIs and frontend origins, matched exactly.

    Without a requested ``redirect_uri`` the provider's default callback URL
    (``callback_base_url`` + ``/api/v1/auth/{provider}/callback``) is used, and it
    is always allowed; without a ``frontend_origin`` the default origin is used.
    After the callback the browser goes to the origin's ``success_path``, or to its
    ``error_path`` with ``?error=<code>``; after a link callback, to its ``link_path``
    with ``?linked=<provider>`` or ``?error=<code>``.
    """

    CALLBACK_PATH = "/api/v1/auth/{provider}/callback"

    def __init__(
        self,
        *,
        callback_base_url: str,
        allowed_redirect_uris: Iterable[str],
        default_frontend_origin: str,
        allowed_frontend_origins: Iterable[str],
        success_path: str,
        error_path: str,
        link_path: str = "/account",
    ) -> None:
        self._callback_base_url = callback_base_url.rstrip("/")
        self._redirect_uris = frozenset(allowed_redirect_uris)
        self.default_frontend_origin = default_frontend_origin.rstrip("/")
        self._origins = frozenset(o.rstrip("/") for o in allowed_frontend_origins) | {
            self.default_frontend_origin
        }
        self._success_path = success_path
        self._error_path = error_path
        self._link_path = link_path

    def default_redirect_uri(self, provider: str) -> str:
        return self._callback_base_url + self.CALLBACK_PATH.format(provider=provider)

    def redirect_uri(self, provider: str, requested: str | None) -> str:
        """The redirect URI to send to the provider.

        :raises RedirectUriNotAllowedError: ``requested`` is not on the allow-list.
        """
        default = self.default_redirect_uri(provider)
        if requested is None or requested == default:
            return default
        if requested not in self._redirect_uris:
            raise RedirectUriNotAllowedError
        return requested

    def frontend_origin(self, requested: str | None) -> str:
        """The frontend origin to return to after the callback.

        :raises FrontendOriginNotAllowedError: ``requested`` is not on the allow-list.
        """
        if requested is None:
            return self.default_frontend_origin
        if requested.rstrip("/") not in self._origins:
            raise FrontendOriginNotAllowedError
        return requested.rstrip("/")

    def after_login(
        self, frontend_origin: str | None, error: str | None = None, **details: str
    ) -> str:
        """The complete URL the callback sends the browser to.

        ``frontend_origin`` is the one the login's state carried (None when the state
        was never read: the default origin); ``error`` is the failure's code, and
        ``details`` more query parameters of the error page (e.g. ``purge_after``).
        """
        origin = frontend_origin or self.default_frontend_origin
        if error is None:
            return origin + self._success_path
        return f"{origin}{self._error_path}?{urlencode({'error': error, **details})}"

    def after_link(
        self, frontend_origin: str | None, provider: str, error: str | None = None
    ) -> str:
        """The complete URL a link callback sends the browser to: the link page of the
        origin the link's state carried, saying which provider was linked, or why not."""
        origin = frontend_origin or self.default_frontend_origin
        query = {"linked": provider} if error is None else {"error": error}
        return f"{origin}{self._link_path}?{urlencode(query)}"
