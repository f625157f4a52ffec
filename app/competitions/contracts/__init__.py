"""Managing a call-off contract after the award: value and term, KPIs and their yearly ratings,
changes, and how it ended."""
