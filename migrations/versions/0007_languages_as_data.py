"""languages as data: any language of the registry, dependants' removals and corrections

The list of languages lives in one place, the `languages` package (a folder per
language): the database no longer spells it in a CHECK constraint, and a language code
may be up to 8 characters (Kabiyè is "kbp"). A dependant removed or corrected keeps its
row, dated: `removal` says why it left ("removed" or "corrected"), and a correction's
new row names the row it corrects.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 15:00:00
"""
import re

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

CHECK = re.compile(r",\s*CONSTRAINT ck_members_language CHECK \(language IN \('fr', 'en'\)\)")
COLUMN = "language VARCHAR(2) NOT NULL"


def _sqlite_edit_table(table: str, edit) -> None:
    """SQLite cannot drop a CHECK constraint; its documented way ("ALTER TABLE", section
    on removing CHECK constraints) is to edit the table's definition in sqlite_schema and
    bump the schema version, in one transaction."""
    bind = op.get_bind()
    sql = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).scalar()
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema=ON")
    bind.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", (edit(sql), table))
    bind.exec_driver_sql(f"PRAGMA schema_version={version + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema=OFF")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # a SQLite VARCHAR's length is not enforced: only the constraint has to go
        _sqlite_edit_table("members", lambda sql: CHECK.sub("", sql))
    else:
        op.drop_constraint(op.f("ck_members_language"), "members", type_="check")
        op.alter_column("members", "language", type_=sa.String(8), existing_type=sa.String(2), existing_nullable=False)
        op.alter_column("phone_preferences", "language", type_=sa.String(8), existing_type=sa.String(2),
                        existing_nullable=False)
    op.add_column("dependents", sa.Column("removal", sa.String(10), nullable=True))
    if op.get_bind().dialect.name == "sqlite":  # SQLite adds a referencing column, not a constraint
        op.execute("ALTER TABLE dependents ADD COLUMN corrects_id INTEGER REFERENCES dependents (id)")
    else:
        op.add_column("dependents", sa.Column(
            "corrects_id", sa.Integer(), sa.ForeignKey("dependents.id", name="fk_dependents_corrects_id_dependents"),
            nullable=True,
        ))


def downgrade() -> None:
    with op.batch_alter_table("dependents") as batch_op:
        batch_op.drop_column("corrects_id")
        batch_op.drop_column("removal")
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_edit_table("members", lambda sql: sql.replace(
            COLUMN, f"{COLUMN} CONSTRAINT ck_members_language CHECK (language IN ('fr', 'en'))"))
    else:
        op.alter_column("phone_preferences", "language", type_=sa.String(2), existing_type=sa.String(8))
        op.alter_column("members", "language", type_=sa.String(2), existing_type=sa.String(8))
        op.create_check_constraint(op.f("ck_members_language"), "members", "language IN ('fr', 'en')")
