"""Every domain's jobs and scheduled tasks, imported in one place so the queue knows them all
(like policies.py for permission rules). A worker or scheduler process imports the app, and so
this, before it takes any run."""
from app import mail as _mail  # noqa: F401  (mail.send)
from app.accounts import emailing as _emailing  # noqa: F401  (the daily digest)
from app.api import import_jobs as _imports  # noqa: F401  (imports in the background)
from app.api.open_data import regenerate as _open_data  # noqa: F401  (the register file)
from app.competitions import jobs as _competitions  # noqa: F401
from app.concentration.services import rebuild as _concentration  # noqa: F401  (figures off the request path)
from app.governance import notices as _governance  # noqa: F401  (check-ins due)
