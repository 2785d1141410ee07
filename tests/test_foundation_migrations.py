"""The schema is built by Alembic migrations, and they match the models."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from workshop import create_app
from workshop.platform.db import db
from workshop.paths import MIGRATIONS_DIR


def test_migrations_to_head_build_every_table_on_an_empty_sqlite_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x"}, instance_path=str(tmp_path))
    with app.app_context():
        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_the_models_match_the_migrations(app):
    """Autogenerate finds nothing to add: no model change was made without a migration."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_migration_history_is_one_straight_line():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(config)
    assert len(script.get_heads()) == 1
    assert len(script.get_bases()) == 1


def test_the_test_database_is_at_head(app):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    with db.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head
