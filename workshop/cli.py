"""The commands that belong to no one feature: ``flask --app workshop demo``.

Each feature adds its own commands in its ``init_app`` (``create-user`` in auth, ``purge`` in
registration, ``backup`` and ``check-integrity`` in maintenance); the mail worker's ``worker``
comes with the platform's mail.
"""

import click
from flask import Flask
from flask.cli import with_appcontext


@click.command("demo")
@click.option("--accounts", "accounts_only", is_flag=True,
              help="Only print the demo accounts and their passwords (from instance/demo-accounts.txt).")
@with_appcontext
def demo_command(accounts_only: bool) -> None:
    """Load the demo workshops (idempotent: never duplicates, never wipes what users entered)."""
    from workshop import demo  # the demo builds on every feature: loaded when asked for

    for line in demo.account_lines() if accounts_only else demo.load_demo():
        click.echo(line)


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_command)
