"""governance: admissions, reviews, funding agreements, conditions, check-ins

Revision ID: 20261124_05
Revises: 20261124_04
"""
from alembic import op
import sqlalchemy as sa
import app.models_base

revision = "20261124_05"
down_revision = "20261124_04"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
