"""Domain errors: a business rule refused an action. Views show the message; the API answers 409/422."""
from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the action; the message is written for the user.

    A check that finds several problems tells them all at once (`problems`: (field, message) pairs,
    the first also as `message` and `field`), so a form shows every one in its error summary rather
    than one a submission."""

    def __init__(self, message: str, field: str | None = None,
                 problems: list[tuple[str | None, str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.problems: list[tuple[str | None, str]] = list(problems) if problems else [(field, message)]


class IllegalTransition(DomainError):
    """A status change that the lifecycle does not allow from the current status."""


class NotAllowed(DomainError):
    """The user may not do this (checked again in services as a second line of defence)."""


class Problems:
    """Every problem a check finds, gathered so that they are told together.

        problems = Problems()
        if not title: problems.add("Enter a title.", "title")
        problems.raise_if_any()
    """

    def __init__(self) -> None:
        self.items: list[tuple[str | None, str]] = []

    def add(self, message: str, field: str | None = None) -> None:
        self.items.append((field, message))

    def has(self, field: str) -> bool:
        return any(f == field for f, _ in self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            field, message = self.items[0]
            raise DomainError(message, field, self.items)
