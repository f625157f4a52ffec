"""Ending a competition: intention to award, standstill, award, and the partnership it makes."""
