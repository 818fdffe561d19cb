from __future__ import annotations

import click

from gateway.cli import fail


def upgrade_database(database_url: str, echo=click.echo) -> None:
    from gateway.db import make_engine, make_sessionmaker
    from gateway.migrate import RuleVersionConflict, sync_schemes, upgrade

    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with make_sessionmaker(engine).begin() as session:
            added = sync_schemes(session)
    except RuleVersionConflict as exc:
        fail(str(exc), 1)
    finally:
        engine.dispose()
    for line in added:
        echo(f"scheme rules loaded: {line}")


@click.group()
def db():
    """Database schema (Alembic migrations)."""


@db.command()
@click.pass_obj
def upgrade(ctx):
    """Apply every migration, then load new scheme rule versions from config/schemes.

    Safe to run again: what is applied already is left as it is. A scheme rule version
    whose date is stored already but whose figures changed is refused (exit 1): add a
    version with a later effective_from instead.
    """
    settings = ctx.settings
    upgrade_database(settings.database_url)
    click.echo(f"database is up to date ({settings.database_url.split('@')[-1]})")
