"""Signals between domains, so one domain can react to another's change without reaching into it.

A receiver runs inside the sender's transaction: it may change state and record audit entries,
and must not commit.
"""
from blinker import Namespace

_signals = Namespace()

#: sent with membership=<Membership>, previous=<str|None>, actor=<User|None> after a membership
#: changes status (admit, suspend, remove, reinstate). Competitions invalidate open bids on it.
membership_changed = _signals.signal("membership-changed")

#: sent with data=<str> whenever data behind cached figures changes (deployments, memberships,
#: partnerships). The concentration cache keys on a data version and listens to it.
data_changed = _signals.signal("data-changed")

#: sent with the User as sender and until=<datetime, UTC> when failed sign-ins make sign-ins to that
#: account wait (accounts/services.py). The hook for a self-service unlock by e-mail: a receiver
#: e-mails the owner a one-time link whose use calls accounts.services.unlock(user, actor=user).
account_locked = _signals.signal("account-locked")

#: sent with a Project (app.offers) as sender when its outcome is being recorded: each receiver
#: answers the competitions run from that project as [(id, label)] (app.competitions answers).
project_competitions = _signals.signal("project-competitions")
