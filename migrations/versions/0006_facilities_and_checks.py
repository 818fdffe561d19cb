"""health facilities, their phones, and the checks of members' rights they make

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:00:00
"""
from alembic import op
import sqlalchemy as sa
import gateway.models.types


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('facilities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('region', sa.String(length=40), nullable=False),
    sa.Column('api_key_id', sa.String(length=16), nullable=False),
    sa.Column('api_key_hash', sa.String(length=64), nullable=False),
    sa.Column('api_key_created_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('api_key_revoked_at', gateway.models.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('hospital', 'clinic', 'pharmacy')", name=op.f('ck_facilities_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facilities')),
    sa.UniqueConstraint('api_key_id', name=op.f('uq_facilities_api_key_id'))
    )
    op.create_table('facility_phones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=16), nullable=False),
    sa.Column('added_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_facility_phones_facility_id_facilities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facility_phones')),
    sa.UniqueConstraint('phone', name=op.f('uq_facility_phones_phone'))
    )
    with op.batch_alter_table('facility_phones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facility_phones_facility_id'), ['facility_id'], unique=False)

    op.create_table('facility_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('dependent_id', sa.Integer(), nullable=True),
    sa.Column('beneficiary', sa.String(length=13), nullable=False),
    sa.Column('service_day', sa.Date(), nullable=False),
    sa.Column('created_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('flagged_at', gateway.models.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['dependent_id'], ['dependents.id'], name=op.f('fk_facility_checks_dependent_id_dependents')),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_facility_checks_facility_id_facilities')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_facility_checks_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facility_checks')),
    sa.UniqueConstraint('code', name=op.f('uq_facility_checks_code'))
    )
    with op.batch_alter_table('facility_checks', schema=None) as batch_op:
        batch_op.create_index('ix_facility_checks_member_created', ['member_id', 'created_at'], unique=False)
        batch_op.create_index('ix_facility_checks_flagged', ['flagged_at'], unique=False)
    # one code per facility, person and day; the member (no dependant) counts as person 0
    op.create_index('uq_facility_checks_person_day', 'facility_checks',
                    ['facility_id', 'member_id', sa.text('coalesce(dependent_id, 0)'), 'service_day'], unique=True)

    op.create_table('facility_check_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('check_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=4), nullable=False),
    sa.Column('asked_by', sa.String(length=16), nullable=False),
    sa.Column('asked_at', gateway.models.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('covered', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('key_date', sa.Date(), nullable=True),
    sa.Column('answer', sa.JSON(), nullable=False),
    sa.Column('disposition', sa.Text(), nullable=False),
    sa.CheckConstraint("channel IN ('fhir', 'ussd')", name=op.f('ck_facility_check_answers_channel')),
    sa.ForeignKeyConstraint(['check_id'], ['facility_checks.id'], name=op.f('fk_facility_check_answers_check_id_facility_checks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facility_check_answers'))
    )
    with op.batch_alter_table('facility_check_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facility_check_answers_check_id'), ['check_id'], unique=False)


def downgrade() -> None:
    op.drop_table('facility_check_answers')
    op.drop_index('uq_facility_checks_person_day', table_name='facility_checks')
    op.drop_table('facility_checks')
    op.drop_table('facility_phones')
    op.drop_table('facilities')
