"""accounts: invitations and account management

Revision ID: 20261124_07
Revises: 20261124_06
"""
from alembic import op
import sqlalchemy as sa
import app.models_base

revision = "20261124_07"
down_revision = "20261124_06"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
