"""The competitions' clock is the app's one clock (app/clock.py): every deadline decision asks
`now()`, so tests, the scheduler and the pages share one idea of the time."""
from app.clock import now, set_source

__all__ = ["now", "set_source"]
