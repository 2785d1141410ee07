"""The commands that belong to no one feature: ``flask --app workshop demo``.

Each feature adds its own commands in its ``init_app`` (``create-user`` in auth, ``purge`` in
registration, ``backup`` and ``check-integrity`` in maintenance); the mail worker's ``worker``
comes with the platform's mail.
"""

import click
from flask import Flask
from flask.cli import with_appcontext


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo workshops (idempotent: never duplicates, never wipes what users entered)."""
    from workshop.demo import load_demo  # the demo builds on every feature: loaded when asked for

    for line in load_demo():
        click.echo(line)


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_command)
