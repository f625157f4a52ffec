"""Every domain's permission rules, imported in one place so `can()` knows them all."""
from app.accounts import policy as _accounts  # noqa: F401
from app.audit import policy as _audit  # noqa: F401
from app.registry import policy as _registry  # noqa: F401
from app.offers import policy as _offers  # noqa: F401,E402
from app.competitions import policy as _competitions  # noqa: F401,E402
from app.concentration import policy as _concentration  # noqa: F401,E402
from app.governance import policy as _governance  # noqa: F401,E402
from app.api import policy as _api  # noqa: F401,E402
from app.operations import policy as _operations  # noqa: F401,E402
