"""payments and ledger

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:40:43.908337
"""
from alembic import op
import sqlalchemy as sa
import gateway.models.types


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# Money history is corrected by reversals, never by edits.
APPEND_ONLY = ("ledger_entries", "ledger_legs", "payment_events")


def upgrade() -> None:
    op.create_table('ledger_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('clearing', 'member', 'suspense', 'fees', 'premiums', 'refunds')", name=op.f('ck_ledger_accounts_kind')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_ledger_accounts_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_accounts')),
    sa.UniqueConstraint('code', name=op.f('uq_ledger_accounts_code')),
    sa.UniqueConstraint('member_id', name=op.f('uq_ledger_accounts_member_id'))
    )
    op.create_table('payment_intents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('payer_phone', sa.String(length=16), nullable=False),
    sa.Column('network', sa.String(length=10), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('provider_reference', sa.String(length=80), nullable=True),
    sa.Column('confirmed_amount', sa.Integer(), nullable=True),
    sa.Column('amount_mismatch', sa.Boolean(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('initiate_attempts', sa.Integer(), nullable=False),
    sa.Column('polls', sa.Integer(), nullable=False),
    sa.Column('next_poll_at', gateway.models.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('failure_reason', sa.Text(), nullable=True),
    sa.Column('created_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('created', 'pending', 'succeeded', 'failed', 'expired')", name=op.f('ck_payment_intents_status')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_payment_intents_amount_positive')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_payment_intents_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_intents')),
    sa.UniqueConstraint('provider', 'provider_reference', name='uq_payment_intents_provider_reference'),
    sa.UniqueConstraint('reference', name=op.f('uq_payment_intents_reference'))
    )
    with op.batch_alter_table('payment_intents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_intents_member_id'), ['member_id'], unique=False)
        batch_op.create_index('ix_payment_intents_payer_created', ['payer_phone', 'created_at'], unique=False)
        batch_op.create_index('ix_payment_intents_status_next_poll', ['status', 'next_poll_at'], unique=False)

    op.create_table('ledger_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('intent_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('booked_on', sa.Date(), nullable=False),
    sa.Column('created_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['intent_id'], ['payment_intents.id'], name=op.f('fk_ledger_entries_intent_id_payment_intents')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_ledger_entries_member_id_members')),
    sa.ForeignKeyConstraint(['reverses_id'], ['ledger_entries.id'], name=op.f('fk_ledger_entries_reverses_id_ledger_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entries')),
    sa.UniqueConstraint('key', name=op.f('uq_ledger_entries_key')),
    sa.UniqueConstraint('reverses_id', name=op.f('uq_ledger_entries_reverses_id'))
    )
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_entries_intent_id'), ['intent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entries_member_id'), ['member_id'], unique=False)

    op.create_table('payment_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intent_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=10), nullable=False),
    sa.Column('to_status', sa.String(length=10), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['intent_id'], ['payment_intents.id'], name=op.f('fk_payment_events_intent_id_payment_intents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_events'))
    )
    with op.batch_alter_table('payment_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_events_intent_id'), ['intent_id'], unique=False)

    op.create_table('provider_callbacks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=40), nullable=False),
    sa.Column('received_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('remote_addr', sa.String(length=64), nullable=False),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('query', sa.JSON(), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('event', sa.JSON(), nullable=True),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('intent_id', sa.Integer(), nullable=True),
    sa.Column('provider_reference', sa.String(length=80), nullable=True),
    sa.Column('processed_at', gateway.models.types.UtcDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("outcome IN ('received', 'applied', 'duplicate', 'rejected', 'suspense', 'ignored')", name=op.f('ck_provider_callbacks_outcome')),
    sa.ForeignKeyConstraint(['intent_id'], ['payment_intents.id'], name=op.f('fk_provider_callbacks_intent_id_payment_intents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_callbacks'))
    )
    with op.batch_alter_table('provider_callbacks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provider_callbacks_intent_id'), ['intent_id'], unique=False)
        batch_op.create_index('ix_provider_callbacks_outcome_received', ['outcome', 'received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_provider_callbacks_provider_reference'), ['provider_reference'], unique=False)

    op.create_table('coverage_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('period', sa.String(length=12), nullable=False),
    sa.Column('price', sa.Integer(), nullable=False),
    sa.Column('waiting_ends_on', sa.Date(), nullable=True),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('bought_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_coverage_periods_dates')),
    sa.ForeignKeyConstraint(['entry_id'], ['ledger_entries.id'], name=op.f('fk_coverage_periods_entry_id_ledger_entries')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_coverage_periods_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coverage_periods')),
    sa.UniqueConstraint('entry_id', name=op.f('uq_coverage_periods_entry_id')),
    sa.UniqueConstraint('member_id', 'starts_on', name='uq_coverage_periods_member_start')
    )
    with op.batch_alter_table('coverage_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coverage_periods_member_id'), ['member_id'], unique=False)

    op.create_table('ledger_legs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount <> 0', name=op.f('ck_ledger_legs_amount_nonzero')),
    sa.ForeignKeyConstraint(['account_id'], ['ledger_accounts.id'], name=op.f('fk_ledger_legs_account_id_ledger_accounts')),
    sa.ForeignKeyConstraint(['entry_id'], ['ledger_entries.id'], name=op.f('fk_ledger_legs_entry_id_ledger_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_legs'))
    )
    with op.batch_alter_table('ledger_legs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_legs_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_legs_entry_id'), ['entry_id'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        # Double entry, enforced by the database: at commit, the legs of every entry
        # touched must sum to zero. Deferred, so the legs can be inserted one by one.
        op.execute(
            """
            CREATE FUNCTION amu_check_entry_balanced() RETURNS trigger AS $$
            DECLARE total bigint;
            BEGIN
                SELECT COALESCE(SUM(amount), 0) INTO total FROM ledger_legs WHERE entry_id = NEW.entry_id;
                IF total <> 0 THEN
                    RAISE EXCEPTION 'ledger entry % is unbalanced by %', NEW.entry_id, total;
                END IF;
                RETURN NULL;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE CONSTRAINT TRIGGER ledger_legs_balanced AFTER INSERT ON ledger_legs "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION amu_check_entry_balanced()"
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION amu_refuse_change()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute("DROP TRIGGER ledger_legs_balanced ON ledger_legs")
        op.execute("DROP FUNCTION amu_check_entry_balanced()")
    with op.batch_alter_table('ledger_legs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_legs_entry_id'))
        batch_op.drop_index(batch_op.f('ix_ledger_legs_account_id'))

    op.drop_table('ledger_legs')
    with op.batch_alter_table('coverage_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coverage_periods_member_id'))

    op.drop_table('coverage_periods')
    with op.batch_alter_table('provider_callbacks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provider_callbacks_provider_reference'))
        batch_op.drop_index('ix_provider_callbacks_outcome_received')
        batch_op.drop_index(batch_op.f('ix_provider_callbacks_intent_id'))

    op.drop_table('provider_callbacks')
    with op.batch_alter_table('payment_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_events_intent_id'))

    op.drop_table('payment_events')
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_entries_member_id'))
        batch_op.drop_index(batch_op.f('ix_ledger_entries_intent_id'))

    op.drop_table('ledger_entries')
    with op.batch_alter_table('payment_intents', schema=None) as batch_op:
        batch_op.drop_index('ix_payment_intents_status_next_poll')
        batch_op.drop_index('ix_payment_intents_payer_created')
        batch_op.drop_index(batch_op.f('ix_payment_intents_member_id'))

    op.drop_table('payment_intents')
    op.drop_table('ledger_accounts')
