"""Domain errors: a business rule refused an action. Views show the message; the API answers 409/422."""
from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the action; the message is written for the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class IllegalTransition(DomainError):
    """A status change that the lifecycle does not allow from the current status."""


class NotAllowed(DomainError):
    """The user may not do this (checked again in services as a second line of defence)."""
