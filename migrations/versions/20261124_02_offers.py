"""offers: offers, versions, search index, shortlists

Revision ID: 20261124_02
Revises: 20261124_01
"""
from alembic import op
import sqlalchemy as sa
import app.models_base

revision = "20261124_02"
down_revision = "20261124_01"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
