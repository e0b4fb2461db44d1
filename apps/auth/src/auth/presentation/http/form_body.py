"""Read an `application/x-www-form-urlencoded` request body: what a form_post provider
(Apple) sends to the callback.

Parsed with the standard library (no multipart parser is installed; none is needed for
this one content type), bounded in size and in number of fields. Anything else is a 422
`REQUEST_INVALID`: a provider's form never looks like that.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import HTTPException
from starlette.requests import Request

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
MAX_FORM_BYTES = 16 * 1024
MAX_FORM_FIELDS = 32


async def read_urlencoded_form(request: Request) -> dict[str, str]:
    """The form's fields (the first value of a repeated one).

    :raises HTTPException: 422 when the body is not such a form in UTF-8, is larger than
        ``MAX_FORM_BYTES`` or has more than ``MAX_FORM_FIELDS`` fields.
    """
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != FORM_CONTENT_TYPE:
        raise HTTPException(422, f"the body must be {FORM_CONTENT_TYPE}")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise HTTPException(422, f"the form is larger than {MAX_FORM_BYTES} bytes")
    try:
        pairs = parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=False,
            max_num_fields=MAX_FORM_FIELDS,
        )
    except ValueError as error:  # not UTF-8, or too many fields
        raise HTTPException(422, "the form is not readable") from error
    fields: dict[str, str] = {}
    for name, value in pairs:
        fields.setdefault(name, value)
    return fields
