"""Alembic environment: the app's metadata, batch mode for SQLite, one transaction per migration."""
import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")


def get_engine():
    return current_app.extensions["migrate"].db.engine


def get_metadata():
    return current_app.extensions["migrate"].db.metadata


config.set_main_option("sqlalchemy.url", get_engine().url.render_as_string(hide_password=False).replace("%", "%%"))


def render_item(type_, obj, autogen_context):
    """Render our UTCDateTime by its import path so migration files stay importable."""
    from app.models_base import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "app.models_base.UTCDateTime()"
    return False


def include_name(name, type_, parent_names):
    """Full-text search objects (names containing "_fts": the offers' FTS5 table and its shadow
    tables on SQLite, its stored vector column and GIN index on PostgreSQL) are made by hand for one backend; the models
    do not describe them, so autogenerate and `flask db check` must not see them as drift."""
    return not (type_ in ("table", "index", "column") and name and "_fts" in name)


def run_migrations_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=get_metadata(),
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(ctx, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    conf_args["render_item"] = render_item
    conf_args.setdefault("include_name", include_name)

    connectable = get_engine()
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=get_metadata(), **conf_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
