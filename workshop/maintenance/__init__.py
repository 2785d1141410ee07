"""Operations on the database as a whole: consistent backups and integrity checks."""

from flask import Flask


def init_app(app: Flask) -> None:
    from workshop.maintenance import commands

    commands.init_app(app)
