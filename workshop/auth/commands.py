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
@click.option("--can-create-workshops", is_flag=True, help="May create workshops (and organize them).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user_command(email: str, name: str, admin: bool, can_create_workshops: bool, password_stdin: bool) -> None:
    """Create an account. The password is prompted for, or read from stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_user(email, name, password, is_admin=admin,
                                    can_create_workshops=can_create_workshops)
        db.session.commit()
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {'admin ' if user.is_admin else ''}account {user.email}.")


@click.command("grant-workshop-creation")
@click.argument("email")
@click.option("--revoke", is_flag=True, help="Withdraw the right instead.")
@with_appcontext
def grant_workshop_creation_command(email: str, revoke: bool) -> None:
    """Give an account the right to create workshops (or, with --revoke, take it back)."""
    user = accounts.find_user(email)
    if user is None:
        raise click.ClickException(f"No account uses {email}.")
    accounts.set_rights(user, can_create_workshops=not revoke, by="command line")
    db.session.commit()
    click.echo(f"{user.email} {'may no longer' if revoke else 'may now'} create workshops.")


def _account(email: str):
    user = accounts.find_user(email)
    if user is None:
        raise click.ClickException(f"No account uses {email}.")
    return user


@click.command("set-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def set_password_command(email: str, password_stdin: bool) -> None:
    """Give an account a new password (prompted for); its sessions are signed out."""
    user = _account(email)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        accounts.set_password(user, password, by="command line")
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"New password set for {user.email}; its sessions are signed out.")


@click.command("disable-user")
@click.argument("email")
@with_appcontext
def disable_user_command(email: str) -> None:
    """Disable an account: it cannot sign in and its sessions end."""
    user = _account(email)
    changed = accounts.set_enabled(user, False, by="command line")
    db.session.commit()
    click.echo(f"{user.email} is disabled." if changed else f"{user.email} was already disabled.")


@click.command("enable-user")
@click.argument("email")
@with_appcontext
def enable_user_command(email: str) -> None:
    """Let a disabled account sign in again."""
    user = _account(email)
    changed = accounts.set_enabled(user, True, by="command line")
    db.session.commit()
    click.echo(f"{user.email} may sign in again." if changed else f"{user.email} was already enabled.")


COMMANDS = (create_user_command, grant_workshop_creation_command, set_password_command,
            disable_user_command, enable_user_command)
