"""Briefing packs: one PDF per confirmed participant (cover, agenda, the papers they may see),
built by the worker, downloaded from their registration page, attachable to a composed message."""

from flask import Flask

from workshop.platform import registry


def init_app(app: Flask) -> None:
    from workshop.briefing import commands, views

    app.register_blueprint(views.bp)
    registry.contribute(app, "registrant material", views.participant_page_part)
    registry.worker_long_job(app, commands.build_due_packs)
    app.cli.add_command(commands.build_command)
