"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 09:33:51.944643
"""
from alembic import op
import sqlalchemy as sa
import gateway.models.types


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('phone_preferences',
    sa.Column('phone', sa.String(length=16), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('updated_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('phone', name=op.f('pk_phone_preferences'))
    )
    op.create_table('schemes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schemes')),
    sa.UniqueConstraint('code', name=op.f('uq_schemes_code'))
    )
    op.create_table('ussd_session_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('hops', sa.Integer(), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=True),
    sa.Column('raw', sa.JSON(), nullable=False),
    sa.Column('received_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ussd_session_events')),
    sa.UniqueConstraint('session_id', name=op.f('uq_ussd_session_events_session_id'))
    )
    op.create_table('members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('amu_number', sa.String(length=10), nullable=False),
    sa.Column('phone', sa.String(length=16), nullable=False),
    sa.Column('full_name', sa.String(length=80), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('occupation', sa.String(length=40), nullable=False),
    sa.Column('region', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('rhythm', sa.String(length=20), nullable=False),
    sa.Column('rhythm_weekday', sa.Integer(), nullable=True),
    sa.Column('rhythm_months', sa.JSON(), nullable=False),
    sa.Column('network', sa.String(length=10), nullable=True),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("language IN ('fr', 'en')", name=op.f('ck_members_language')),
    sa.CheckConstraint("sex IN ('F', 'M')", name=op.f('ck_members_sex')),
    sa.ForeignKeyConstraint(['scheme_id'], ['schemes.id'], name=op.f('fk_members_scheme_id_schemes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_members')),
    sa.UniqueConstraint('amu_number', name=op.f('uq_members_amu_number')),
    sa.UniqueConstraint('phone', name=op.f('uq_members_phone'))
    )
    op.create_table('scheme_rule_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('recorded_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['scheme_id'], ['schemes.id'], name=op.f('fk_scheme_rule_versions_scheme_id_schemes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheme_rule_versions')),
    sa.UniqueConstraint('scheme_id', 'effective_from', name=op.f('uq_scheme_rule_versions_scheme_id'))
    )
    op.create_table('dependents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('relation', sa.String(length=10), nullable=False),
    sa.Column('full_name', sa.String(length=80), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('in_school', sa.Boolean(), nullable=False),
    sa.Column('extra', sa.Boolean(), nullable=False),
    sa.Column('added_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('removed_at', gateway.models.types.UtcDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("relation IN ('spouse', 'child')", name=op.f('ck_dependents_relation')),
    sa.CheckConstraint("sex IN ('F', 'M')", name=op.f('ck_dependents_sex')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_dependents_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dependents'))
    )
    with op.batch_alter_table('dependents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dependents_member_id'), ['member_id'], unique=False)

    op.create_table('membership_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('effective_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('recorded_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('pending', 'waiting', 'active', 'grace', 'suspended')", name=op.f('ck_membership_events_state')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_membership_events_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_events'))
    )
    with op.batch_alter_table('membership_events', schema=None) as batch_op:
        batch_op.create_index('ix_membership_events_member_effective', ['member_id', 'effective_at', 'id'], unique=False)

    op.create_table('sms_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=16), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('provider_message_id', sa.String(length=80), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('queued', 'sent', 'failed', 'delivered', 'undelivered')", name=op.f('ck_sms_messages_status')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_sms_messages_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_messages'))
    )
    with op.batch_alter_table('sms_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sms_messages_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_messages_provider_message_id'), ['provider_message_id'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        # History is never overwritten: the database itself refuses edits and deletes.
        op.execute(
            """
            CREATE FUNCTION amu_refuse_change() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER membership_events_append_only BEFORE UPDATE OR DELETE ON membership_events "
            "FOR EACH ROW EXECUTE FUNCTION amu_refuse_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER membership_events_append_only ON membership_events")
        op.execute("DROP FUNCTION amu_refuse_change()")
    with op.batch_alter_table('sms_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sms_messages_provider_message_id'))
        batch_op.drop_index(batch_op.f('ix_sms_messages_phone'))

    op.drop_table('sms_messages')
    with op.batch_alter_table('membership_events', schema=None) as batch_op:
        batch_op.drop_index('ix_membership_events_member_effective')

    op.drop_table('membership_events')
    with op.batch_alter_table('dependents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dependents_member_id'))

    op.drop_table('dependents')
    op.drop_table('scheme_rule_versions')
    op.drop_table('members')
    op.drop_table('ussd_session_events')
    op.drop_table('schemes')
    op.drop_table('phone_preferences')
