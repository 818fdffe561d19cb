"""running figures: ledger_accounts.balance; members' state, cover held, paid-to-date and oldest unpaid due

Kept by the services that change them (gateway.ledger.post, membership.record_transition,
coverage.buy_cover, dues.allocate) so that no read walks a member's history; filled
here from that history.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 09:00:00
"""
from alembic import op
import sqlalchemy as sa

import gateway.models.types
from gateway.models.members import STATES
from gateway.models.types import one_of


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

MONTHS_OF_PERIOD = "CASE c.period WHEN 'monthly' THEN 1 WHEN 'quarterly' THEN 3 WHEN 'half_yearly' THEN 6 ELSE 12 END"


def upgrade() -> None:
    with op.batch_alter_table('ledger_accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('balance', sa.BigInteger(), nullable=False, server_default='0'))
    with op.batch_alter_table('members', schema=None) as batch_op:
        # the CHECK rides on the column: SQLite adds it without rebuilding a referenced table
        batch_op.add_column(sa.Column('state', sa.String(length=12), sa.CheckConstraint(one_of('state', STATES),
                                                                                        name='ck_members_state'),
                                      nullable=False, server_default='pending'))
        batch_op.add_column(sa.Column('state_since', gateway.models.types.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('covered_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('stint_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('waiting_ends', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('stint_months', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('paid_total', sa.BigInteger(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('oldest_unpaid_due', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('paid_toward_dues', sa.BigInteger(), nullable=False, server_default='0'))

    op.execute("UPDATE ledger_accounts SET balance = "
               "COALESCE((SELECT SUM(l.amount) FROM ledger_legs l WHERE l.account_id = ledger_accounts.id), 0)")
    latest_event = ("FROM membership_events e WHERE e.member_id = members.id "
                    "ORDER BY e.effective_at DESC, e.id DESC LIMIT 1")
    op.execute(f"UPDATE members SET state = COALESCE((SELECT e.state {latest_event}), 'pending'), "
               f"state_since = (SELECT e.effective_at {latest_event})")
    stint_opening = ("FROM coverage_periods c WHERE c.member_id = members.id AND c.waiting_ends_on IS NOT NULL "
                     "ORDER BY c.starts_on DESC LIMIT 1")
    op.execute("UPDATE members SET "
               "covered_until = (SELECT MAX(c.ends_on) FROM coverage_periods c WHERE c.member_id = members.id), "
               f"stint_start = (SELECT c.starts_on {stint_opening}), "
               f"waiting_ends = (SELECT c.waiting_ends_on {stint_opening})")
    op.execute(f"UPDATE members SET stint_months = COALESCE((SELECT SUM({MONTHS_OF_PERIOD}) FROM coverage_periods c "
               "WHERE c.member_id = members.id AND c.starts_on >= members.stint_start), 0)")
    op.execute("UPDATE members SET paid_total = COALESCE((SELECT -SUM(l.amount) FROM ledger_legs l "
               "JOIN ledger_accounts a ON a.id = l.account_id JOIN ledger_entries e ON e.id = l.entry_id "
               "WHERE a.member_id = members.id AND e.kind = 'collection'), 0)")
    # Dues are paid oldest first: the dues whose running total is within what was paid are paid.
    running = ("(SELECT d.due_on, SUM(d.amount) OVER (ORDER BY d.due_on) AS upto FROM dues d "
               "WHERE d.member_id = members.id) r")
    op.execute(f"UPDATE members SET "
               f"oldest_unpaid_due = (SELECT MIN(r.due_on) FROM {running} WHERE r.upto > members.paid_total), "
               f"paid_toward_dues = members.paid_total - "
               f"COALESCE((SELECT MAX(r.upto) FROM {running} WHERE r.upto <= members.paid_total), 0)")


def downgrade() -> None:
    with op.batch_alter_table('members', schema=None) as batch_op:
        for column in ('paid_toward_dues', 'oldest_unpaid_due', 'paid_total', 'stint_months', 'waiting_ends',
                       'stint_start', 'covered_until', 'state_since', 'state'):
            batch_op.drop_column(column)
    with op.batch_alter_table('ledger_accounts', schema=None) as batch_op:
        batch_op.drop_column('balance')
