"""A competition's timetable as an iCalendar file (RFC 5545, the `icalendar` package): one event
per deadline, in UTC, with a stable UID so a calendar that imports it again updates, not doubles."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from icalendar import Alarm, Calendar, Event

#: The calendar's product identifier, as RFC 5545 asks.
PRODID = "-//NHS England//Exemplar Exchange//EN"


@dataclass(frozen=True)
class Deadline:
    key: str           # stable within a competition: "clarification", "response", "standstill"
    title: str
    at: datetime       # aware UTC
    description: str = ""


def timetable_ics(*, reference: str, title: str, url: str, deadlines: list[Deadline], host: str,
                  stamp: datetime) -> bytes:
    """The calendar of a competition's deadlines; each an event of fifteen minutes ending at the
    deadline, with a reminder a day before."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{reference} {title}")
    for d in deadlines:
        event = Event()
        event.add("uid", f"{reference.lower()}-{d.key}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", d.at - timedelta(minutes=15))
        event.add("dtend", d.at)
        event.add("summary", f"{reference}: {d.title}")
        event.add("description", f"{d.description}\n\n{url}".strip())
        event.add("url", url)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{reference}: {d.title} tomorrow")
        alarm.add("trigger", timedelta(days=-1))
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()
