"""Procurement Act notices of a call-off as data: generated from the record, reviewed and
published by the buyer, dated, audited, public, and in the OCDS output with the UK extension."""
