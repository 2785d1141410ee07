"""Is this database one the app can trust? Schema at the newest migration, references intact.

Used by ``flask check-integrity`` and by the backup tests on a restored copy.
"""

from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from workshop.paths import MIGRATIONS_DIR


def migration_heads(migrations_dir: Path = MIGRATIONS_DIR) -> set[str]:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    return set(ScriptDirectory.from_config(config).get_heads())


def check_integrity(engine: sa.Engine, migrations_dir: Path = MIGRATIONS_DIR) -> list[str]:
    """Problems found, in words; an empty list means the database passed every check."""
    problems: list[str] = []
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
        expected = migration_heads(migrations_dir)
        if current != expected:
            problems.append(
                f"The schema is at migration {sorted(current) or 'none'}, the code expects "
                f"{sorted(expected)}: run 'flask --app workshop db upgrade'."
            )
        if connection.dialect.name == "sqlite":
            problems += _sqlite_checks(connection)
        else:
            problems += _postgresql_checks(connection)
        problems += _dangling_references(connection)
    return problems


def _sqlite_checks(connection) -> list[str]:
    problems = []
    result = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
    if result != ["ok"]:
        problems.append("SQLite integrity check failed: " + "; ".join(map(str, result[:10])))
    for table, rowid, parent, _ in connection.exec_driver_sql("PRAGMA foreign_key_check"):
        problems.append(f"Row {rowid} of {table} refers to a missing row of {parent}.")
    return problems


def _postgresql_checks(connection) -> list[str]:
    """Constraints added NOT VALID (or disabled in a restore) are not guaranteed to hold."""
    rows = connection.execute(sa.text(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint "
        "WHERE NOT convalidated AND connamespace = 'public'::regnamespace"
    ))
    return [f"Constraint {name} on {table} is not validated." for table, name in rows]


def _dangling_references(connection) -> list[str]:
    """Every foreign key checked by an anti-join, whatever the database enforced on the way in."""
    problems = []
    inspector = sa.inspect(connection)
    for table in inspector.get_table_names():
        for fk in inspector.get_foreign_keys(table):
            if not fk["constrained_columns"]:
                continue
            child = sa.table(table, *[sa.column(c) for c in fk["constrained_columns"]])
            parent = sa.table(fk["referred_table"], *[sa.column(c) for c in fk["referred_columns"]])
            matches = sa.and_(*[
                child.c[c] == parent.c[p]
                for c, p in zip(fk["constrained_columns"], fk["referred_columns"])
            ])
            present = sa.and_(*[child.c[c].is_not(None) for c in fk["constrained_columns"]])
            query = sa.select(sa.func.count()).select_from(child).where(
                present, ~sa.exists().where(matches)
            )
            missing = connection.execute(query).scalar_one()
            if missing:
                problems.append(
                    f"{missing} row(s) of {table} refer to missing rows of {fk['referred_table']}."
                )
    return problems
