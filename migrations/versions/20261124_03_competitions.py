"""competitions: competitions, invitations, clarifications, bids, evaluation, awards, notifications

Revision ID: 20261124_03
Revises: 20261124_02
"""
from alembic import op
import sqlalchemy as sa
import app.models_base

revision = "20261124_03"
down_revision = "20261124_02"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
