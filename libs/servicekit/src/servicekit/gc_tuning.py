"""Garbage collection for a request-serving process.

After start-up everything alive lives as long as the process, so it is collected
once and frozen out of every later collection (a full collection over it is a pause
of tens of ms). Requests then allocate short-lived objects only; the youngest
generation's threshold is raised so that it is scanned about ten times less often.
Measured in process (auth's refresh, 64 concurrent callers): 370 µs of CPU per
refresh with the default (700, 10, 10), 334 µs with (7000, 10, 10), the same as
with collection switched off (338 µs).
"""

from __future__ import annotations

import gc

YOUNG_GENERATION_THRESHOLD = 7000


def settle_after_startup() -> None:
    """Collect, freeze what start-up left alive, and raise the young threshold."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, old)
