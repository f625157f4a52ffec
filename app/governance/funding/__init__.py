"""Funding agreements: programmes, amounts, yearly profiles, tranches and conditions."""
