"""Describe an exception and what it wraps in one log line, without its traceback.

For expected faults (a dependency down) a traceback per request is noise; the
chain of exception types and the innermost message say what happened.
"""

from __future__ import annotations

from collections.abc import Iterator


def describe_error(error: BaseException) -> str:
    """The chain of exception types and the innermost message, e.g.
    ``OperationalError <- ConnectionRefusedError: [Errno 111] Connection refused``.

    Not ``str(error)`` of the outermost: SQLAlchemy's includes the statement and its
    parameters.
    """
    chain = list(error_causes(error))
    names = " <- ".join(type(cause).__name__ for cause in chain)
    return f"{names}: {chain[-1]}" if str(chain[-1]) else names


def error_causes(error: BaseException) -> Iterator[BaseException]:
    """``error``, then what it explicitly wraps (an ``orig`` attribute, as SQLAlchemy's
    errors have, else ``raise … from``)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        wrapped = getattr(current, "orig", None)
        current = wrapped if isinstance(wrapped, BaseException) else current.__cause__
