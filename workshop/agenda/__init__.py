"""Agenda items, overlap rules, the public agenda (HTML, JSON, PDF) and its calendar feeds."""

from flask import Flask

from workshop.platform import registry, stored_pdfs


def init_app(app: Flask) -> None:
    from workshop.agenda import calendar_views, demo, views

    app.register_blueprint(views.bp)
    app.register_blueprint(calendar_views.bp)  # the feeds keep their "calendar." endpoints
    registry.public_link(app, views.public_link)
    registry.public_link(app, calendar_views.subscribe_link)
    registry.manage_link(app, views.manage_link)
    registry.demo_loader(app, demo.load)
    stored_pdfs.renderer(app, "agenda", views.render_agenda_pdf)
