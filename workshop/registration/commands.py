"""``flask --app workshop purge``: participants' personal data past its retention period."""

import click
from flask.cli import with_appcontext

from workshop.platform.db import db
from workshop.registration.retention import purge_expired


@click.command("purge")
@with_appcontext
def purge_command() -> None:
    """Remove participants' personal data of workshops past their retention period."""
    report = purge_expired()
    db.session.commit()
    if not report:
        click.echo("Nothing to purge.")
        return
    click.echo(f"Purged {report.registrations} registrations, {report.invitations} invitations and "
               f"{report.messages} sent messages of: {', '.join(report.workshops)}.")
