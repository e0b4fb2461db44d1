from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table, UniqueConstraint
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateTable

from servicekit.persistence import map_once, schema_registry


def test_a_schema_registry_puts_tables_in_its_schema_and_names_their_constraints() -> None:
    table = Table(
        "widgets",
        schema_registry("things").metadata,
        Column("id", Integer, primary_key=True),
        Column("code", String(10)),
        UniqueConstraint("code"),
    )
    ddl = str(CreateTable(table).compile(dialect=postgresql.dialect()))  # type: ignore[no-untyped-call]
    assert "CREATE TABLE things.widgets" in ddl
    assert "CONSTRAINT pk_widgets PRIMARY KEY (id)" in ddl
    assert "CONSTRAINT uq_widgets_code UNIQUE (code)" in ddl


def test_map_once_runs_every_mapper_on_the_first_call_only() -> None:
    calls: list[str] = []
    map_tables = map_once(lambda: calls.append("a"), lambda: calls.append("b"))
    map_tables()
    map_tables()
    assert calls == ["a", "b"]
