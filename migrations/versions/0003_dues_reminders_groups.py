"""dues reminders groups

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:16:27.654334
"""
from alembic import op
import sqlalchemy as sa
import gateway.models.types


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('rhythm', sa.String(length=20), nullable=False),
    sa.Column('created_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_dues_amount_positive')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_dues_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dues')),
    sa.UniqueConstraint('member_id', 'due_on', name='uq_dues_member_due_on')
    )
    with op.batch_alter_table('dues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dues_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_dues_member_id'), ['member_id'], unique=False)

    op.create_table('groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=False),
    sa.Column('created_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['leader_id'], ['members.id'], name=op.f('fk_groups_leader_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groups')),
    sa.UniqueConstraint('code', name=op.f('uq_groups_code'))
    )
    op.create_table('group_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('left_at', gateway.models.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_members_group_id_groups')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_group_members_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_members')),
    sa.UniqueConstraint('group_id', 'member_id', name='uq_group_members_group_member')
    )
    with op.batch_alter_table('group_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_members_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_members_member_id'), ['member_id'], unique=False)

    op.create_table('reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('sms_id', sa.Integer(), nullable=True),
    sa.Column('created_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_reminders_member_id_members')),
    sa.ForeignKeyConstraint(['sms_id'], ['sms_messages.id'], name=op.f('fk_reminders_sms_id_sms_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
    sa.UniqueConstraint('member_id', 'day', name='uq_reminders_member_day')
    )
    op.create_table('payment_splits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intent_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_payment_splits_amount_positive')),
    sa.ForeignKeyConstraint(['intent_id'], ['payment_intents.id'], name=op.f('fk_payment_splits_intent_id_payment_intents')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_payment_splits_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_splits')),
    sa.UniqueConstraint('intent_id', 'member_id', name='uq_payment_splits_intent_member')
    )
    with op.batch_alter_table('payment_splits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_splits_intent_id'), ['intent_id'], unique=False)

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminders', sa.Boolean(), nullable=False, server_default=sa.true()))

    with op.batch_alter_table('payment_intents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_payment_intents_group_id'), ['group_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_payment_intents_group_id_groups'), 'groups', ['group_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('payment_intents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_payment_intents_group_id_groups'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_payment_intents_group_id'))
        batch_op.drop_column('group_id')

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('reminders')

    with op.batch_alter_table('payment_splits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_splits_intent_id'))

    op.drop_table('payment_splits')
    op.drop_table('reminders')
    with op.batch_alter_table('group_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_members_member_id'))
        batch_op.drop_index(batch_op.f('ix_group_members_group_id'))

    op.drop_table('group_members')
    op.drop_table('groups')
    with op.batch_alter_table('dues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dues_member_id'))
        batch_op.drop_index(batch_op.f('ix_dues_due_on'))

    op.drop_table('dues')
