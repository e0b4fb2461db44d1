"""How a provider returns the authorization response to the callback."""

from __future__ import annotations

from typing import Literal

ResponseMode = Literal["query", "form_post"]
"""``query``: a redirect (GET) with ``code`` and ``state`` in the query string (RFC 6749);
``form_post``: the browser POSTs them as a form (OAuth 2.0 Form Post Response Mode; Sign
in with Apple when it is asked for the name or e-mail)."""
