"""What every feature builds on and which imports no feature.

The database base and column types (``db``, ``types``), forms, errors, security headers and rate
limits, templating and the workshop links, Markdown and PDF rendering, the audit log, mail (the
outbox and its worker), the public page cache, revisions, transactions and locks, and the table
of reactions between features. A module here that imports ``workshop.<feature>`` fails
``tests/test_architecture.py``.
"""

from flask import Flask


def init_app(app: Flask, *, migrations: str) -> None:
    """Wire the extensions and the shared machinery, before any feature's ``init_app``."""
    from workshop.platform import (errors, front_cache, i18n, public_cache, registry, routing, security, states,
                                   templating, transaction, uploads)
    from workshop.platform.db import babel, csrf, db, install_migrations, login_manager
    from workshop.platform.mail.cli import worker_command

    routing.install(app)
    uploads.install(app)
    registry.install(app)
    db.init_app(app)
    install_migrations(app, migrations)
    csrf.init_app(app)
    i18n.init_app(app, babel)
    login_manager.init_app(app)
    transaction.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    states.init_app(app)
    # Inside ProxyFix (which security adds behind a proxy): the front layer's key then has the
    # visitor's scheme and host, as Flask sees them.
    front_cache.install(app)
    security.init_app(app)
    public_cache.install()  # the workshops feature adds which statuses are public
    app.cli.add_command(worker_command)
    from workshop.platform import stored_pdfs
    registry.worker_round_job(app, stored_pdfs.render_waiting)
