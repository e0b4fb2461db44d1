"""Allow the account events' results in auth.login_audit: link, link_failure, unlink_notice.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "auth.login_audit"
# 0001 passed "ck_login_audit_result" through the naming convention, which prefixed it
# again; the mapping (name "result") means "ck_login_audit_result". Upgrading gives the
# constraint that name.
OLD_NAME = "ck_login_audit_ck_login_audit_result"
NEW_NAME = "ck_login_audit_result"
LOGIN_RESULTS = "'success', 'failure', 'refresh_reuse'"
ACCOUNT_EVENT_RESULTS = "'link', 'link_failure', 'unlink_notice'"


def _replace(old: str, new: str, results: str) -> None:
    op.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT {old}")
    op.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {new} CHECK (result IN ({results}))")


def upgrade() -> None:
    _replace(OLD_NAME, NEW_NAME, f"{LOGIN_RESULTS}, {ACCOUNT_EVENT_RESULTS}")


def downgrade() -> None:
    op.execute(f"DELETE FROM {TABLE} WHERE result IN ({ACCOUNT_EVENT_RESULTS})")  # noqa: S608 - constants
    _replace(NEW_NAME, OLD_NAME, LOGIN_RESULTS)
