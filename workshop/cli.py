"""Command line: ``flask --app workshop <command>``. Each feature adds its commands here."""

import sys

import click
from flask import Flask
from flask.cli import with_appcontext

from workshop.auth import service as accounts
from workshop.mail.cli import worker_command
from workshop.maintenance import commands as maintenance_commands


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
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {'admin ' if user.is_admin else ''}account {user.email}.")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo workshops (idempotent: never duplicates, never wipes what users entered)."""
    from workshop.demo import load_demo

    for line in load_demo():
        click.echo(line)


def init_app(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(worker_command)
    maintenance_commands.init_app(app)
