"""Admission of exemplars to framework lots: criteria, applications, assessment and decision."""
