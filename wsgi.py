"""WSGI entry point (`gunicorn wsgi:app`) and the app of the command line (`flask --app wsgi …`).

The demo-data command is added here rather than by create_app: seed/ sits on top of the app, and
the app never imports it (tests/test_architecture.py)."""
import click

from app import create_app
from app.extensions import db

app = create_app()


@app.cli.command("seed")
@click.option("--quiet", is_flag=True)
def seed_command(quiet: bool):
    """Load the demo data from seed/ (safe to run again: nothing is duplicated)."""
    from seed.load import load_demo

    report = load_demo(echo=None if quiet else click.echo)
    db.session.commit()
    if not quiet:
        click.echo(report.summary())
