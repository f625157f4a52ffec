"""Quarterly check-ins on funding agreements, their review, and the release of tranches."""
