"""Periodic reviews of admitted exemplars, and followers' ratings of their partnerships."""
