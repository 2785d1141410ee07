"""workshop: preparatory workshops and policy meetings, from invitation to takeaways memo."""

import os

from flask import Flask

from workshop import config as configuration
from workshop.paths import MIGRATIONS_DIR, STATIC_DIR, TEMPLATES_DIR

# Each feature package exposes a blueprint ``bp`` in its ``views`` module. Add new features here.
FEATURE_BLUEPRINTS = (
    "workshop.core.views",
    "workshop.auth.views",
    "workshop.workshops.views",
    "workshop.workshops.manage_views",
    "workshop.agenda.views",
    "workshop.calendar.views",
    "workshop.notes.views",
    "workshop.memos.views",
    "workshop.people.views",
    "workshop.registration.views",
    "workshop.audit.views",
)


def create_app(test_config: dict | None = None, instance_path: str | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(TEMPLATES_DIR),
        static_folder=str(STATIC_DIR),
    )
    os.makedirs(app.instance_path, exist_ok=True)

    app.config.from_mapping(configuration.defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_mapping(configuration.from_environment())
    if test_config is not None:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = configuration.ensure_secret_key(app.instance_path)
    configuration.finish(app.config)

    init_extensions(app)
    register_blueprints(app)

    from workshop import cli, errors, templating

    errors.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    from workshop import public_cache, security
    security.init_app(app)
    public_cache.install()
    return app


def init_extensions(app: Flask) -> None:
    from workshop import models  # noqa: F401  (every table known before Alembic looks)
    from workshop.extensions import babel, csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app)
    login_manager.init_app(app)
    from workshop.auth import service as auth_service

    auth_service.init_login(login_manager)


def register_blueprints(app: Flask) -> None:
    from importlib import import_module

    for module_name in FEATURE_BLUEPRINTS:
        app.register_blueprint(import_module(module_name).bp)
