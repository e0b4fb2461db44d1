from __future__ import annotations

from kernel.error_chain import describe_error, error_causes


class WrappingError(Exception):
    """Like SQLAlchemy's DBAPIError: the driver's error in ``orig``."""

    def __init__(self, message: str, orig: BaseException) -> None:
        super().__init__(message)
        self.orig = orig


def test_the_chain_follows_orig_and_causes_and_ends_with_the_innermost_message() -> None:
    refused = ConnectionRefusedError(111, "Connection refused")
    try:
        try:
            raise WrappingError("SELECT secret FROM t WHERE x = 'param'", refused)
        except WrappingError as wrapped:
            raise RuntimeError("outer") from wrapped
    except RuntimeError as error:
        described = describe_error(error)
        chain = list(error_causes(error))
    assert [type(cause) for cause in chain] == [RuntimeError, WrappingError, ConnectionRefusedError]
    assert described == (
        "RuntimeError <- WrappingError <- ConnectionRefusedError: [Errno 111] Connection refused"
    )
    assert "SELECT" not in described


def test_an_error_without_message_is_its_type_and_a_cycle_ends() -> None:
    first, second = ValueError(), KeyError()
    first.__cause__, second.__cause__ = second, first
    assert describe_error(first) == "ValueError <- KeyError"
