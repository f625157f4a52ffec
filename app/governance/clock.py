"""Governance's "today": the date in England, as its decisions are dated (review and check-in due
dates, tranche releases), on the app's one clock so the scheduler and tests agree."""
from __future__ import annotations

from datetime import date

from app.clock import now
from app.web.formatting import to_london


def london_today() -> date:
    """Today's date in England (decisions are dated as people there see the calendar)."""
    return to_london(now()).date()
