"""daily rounds bookkeeping: members.dues_until and members.state_check_on

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dues_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('state_check_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_members_state_check_on'), ['state_check_on'], unique=False)
    op.execute("UPDATE members SET dues_until = (SELECT max(due_on) FROM dues WHERE dues.member_id = members.id)")
    # Members with cover are checked by the next daily round, which sets their next date.
    op.execute("UPDATE members SET state_check_on = CURRENT_DATE "
               "WHERE EXISTS (SELECT 1 FROM coverage_periods c WHERE c.member_id = members.id)")


def downgrade() -> None:
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_members_state_check_on'))
        batch_op.drop_column('state_check_on')
        batch_op.drop_column('dues_until')
