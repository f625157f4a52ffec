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
