"""Print one closing line for a test run from the JUnit XML reports Pants wrote.

Usage: python junit_summary.py REPORT_DIR
Prints `tests: N passed, N failed, N skipped` and exits 1 when nothing ran.
"""

from __future__ import annotations

import sys
from pathlib import Path
from xml.etree import ElementTree  # - reports our own test run wrote


def main(report_dir: str) -> int:
    passed = failed = skipped = 0
    for report in sorted(Path(report_dir).rglob("*.xml")):
        root = ElementTree.parse(report).getroot()  # noqa: S314 - trusted input
        suites = [root] if root.tag == "testsuite" else root.iter("testsuite")
        for suite in suites:
            total = int(suite.get("tests", 0))
            bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skip = int(suite.get("skipped", 0))
            passed += total - bad - skip
            failed += bad
            skipped += skip
    print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if passed + failed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
