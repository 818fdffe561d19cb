"""final payment states are final, in the database too

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 13:30:00
"""
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

FINAL = "('succeeded', 'failed')"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION amu_refuse_leaving_final_state() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'payment % is %: a final state does not change', OLD.reference, OLD.status;
            END $$ LANGUAGE plpgsql
        """)
        op.execute(
            "CREATE TRIGGER payment_intents_final_state BEFORE UPDATE OF status ON payment_intents FOR EACH ROW "
            f"WHEN (OLD.status IN {FINAL} AND NEW.status IS DISTINCT FROM OLD.status) "
            "EXECUTE FUNCTION amu_refuse_leaving_final_state()"
        )
    else:
        op.execute(
            "CREATE TRIGGER payment_intents_final_state BEFORE UPDATE OF status ON payment_intents "
            f"WHEN OLD.status IN {FINAL} AND NEW.status IS NOT OLD.status "
            "BEGIN SELECT RAISE(ABORT, 'a final payment state does not change'); END"
        )


def downgrade() -> None:
    op.execute("DROP TRIGGER payment_intents_final_state" + (" ON payment_intents" if op.get_bind().dialect.name == "postgresql" else ""))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION amu_refuse_leaving_final_state()")
