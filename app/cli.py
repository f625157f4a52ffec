"""Command-line tasks: `flask audit verify`, `flask users …`, `flask backup`/`restore`.

`flask seed` (the demo data) is added by wsgi.py: seed/ sits on top of the app, which never
imports it."""
from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup

from .extensions import db


def register_cli(app: Flask) -> None:
    audit = AppGroup("audit", help="The audit log.")

    @audit.command("verify")
    def audit_verify():
        """Check the hash chain and the sealed journals; report the first broken entry."""
        from .audit.services import verify_chain, verify_journals

        report = verify_chain()
        if report.ok:
            click.echo(f"Audit chain intact: {report.checked} entries verified.")
        else:
            click.echo(f"Audit chain BROKEN at entry {report.first_broken_id}: {report.problem} "
                       f"({report.checked} entries verified before it).", err=True)
        journals = verify_journals()
        for p in journals.problems:
            click.echo(f"Sealed journal {p.key} BROKEN: {p.problem}.", err=True)
        if journals.ok:
            # How many journals are still sealed is itself a secret (which competitions have bids).
            click.echo(f"Sealed journals intact: {journals.opened} opened and joined to the chain; "
                       "those still sealed verified without showing anything of them.")
        if not (report.ok and journals.ok):
            sys.exit(1)

    app.cli.add_command(audit)

    users = AppGroup("users", help="User accounts.")

    @users.command("unlock")
    @click.argument("email")
    def users_unlock(email: str):
        """Let sign-ins to an account go ahead at once: forget its failed sign-ins from every address."""
        from .accounts.services import unlock, user_by_email
        from .errors import DomainError

        user = user_by_email(email)
        if user is None:
            raise click.ClickException(f"No user with email {email}")
        try:
            unlock(user)
        except DomainError as e:
            raise click.ClickException(e.message) from None
        db.session.commit()
        click.echo(f"Unlocked {user.email}")

    app.cli.add_command(users)

    from .jobs.cli import register as register_jobs_commands

    register_jobs_commands(app)  # flask jobs worker | scheduler | run | failed

    from .backup import register_backup_commands

    register_backup_commands(app)
