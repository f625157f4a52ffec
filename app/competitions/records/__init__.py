"""Printable records of a competition: the evaluation report and the award decision as PDF
(WeasyPrint), and the timetable as an iCalendar file."""
