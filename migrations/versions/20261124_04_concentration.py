"""concentration: concentration alert rules and figures cache

Revision ID: 20261124_04
Revises: 20261124_03
"""
from alembic import op
import sqlalchemy as sa
import app.models_base

revision = "20261124_04"
down_revision = "20261124_03"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
