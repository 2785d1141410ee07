"""workshop: preparatory workshops and policy meetings, from invitation to takeaways memo."""

import os
from importlib import import_module

from flask import Flask

from workshop import config as configuration
from workshop.paths import MIGRATIONS_DIR, STATIC_DIR, TEMPLATES_DIR

# Every feature, once, in dependency order: a feature imports only the platform and the features
# listed before it (tests/test_architecture.py checks). Each package's ``init_app(app)`` registers
# its blueprints, links, mail renderers, commands, demo loader and housekeeping; a new feature is
# a new package and one line here.
FEATURES = (
    "workshop.auth",
    "workshop.workshops",
    "workshop.core",
    "workshop.people",
    "workshop.calendar",
    "workshop.agenda",
    "workshop.documents",
    "workshop.registration",
    "workshop.questions",
    "workshop.visas",
    "workshop.briefing",
    "workshop.messages",
    "workshop.letters",
    "workshop.notes",
    "workshop.memos",
    "workshop.reviews",
    "workshop.followup",
    "workshop.reminders",
    "workshop.maintenance",
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

    from workshop import cli, models, reactions  # noqa: F401  (models: every table known to Alembic)
    from workshop.platform import init_app as init_platform

    init_platform(app, migrations=str(MIGRATIONS_DIR))
    for name in FEATURES:
        import_module(name).init_app(app)
    reactions.init_app(app)
    cli.init_app(app)
    return app
