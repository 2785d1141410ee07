"""Account commands: ``flask --app workshop create-user EMAIL --name NAME [--admin]``."""

import sys

import click
from flask.cli import with_appcontext

from workshop.auth import service as accounts
from workshop.platform.db import db


@click.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--admin", is_flag=True, help="Site administrator: may manage every workshop.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user_command(email: str, name: str, admin: bool, password_stdin: bool) -> None:
    """Create an account. The password is prompted for, or read from stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_user(email, name, password, is_admin=admin)
        db.session.commit()
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {'admin ' if user.is_admin else ''}account {user.email}.")
