"""Every model, imported in one place so SQLAlchemy's metadata (and Alembic) sees them all."""
from app.accounts.models import ApiToken, EmailPreference, UnlockLink, User, UserRole  # noqa: F401
from app.audit.models import AuditEvent, SealedEntry, SealedJournal  # noqa: F401
from app.documents.models import Document  # noqa: F401
from app.registry.models import (  # noqa: F401
    Deployment,
    Framework,
    FrameworkCriterion,
    Lot,
    Membership,
    MembershipEvent,
    Organisation,
    Partnership,
    PartnershipMilestone,
    Supplier,
    System,
    SystemStandard,
)
from app.registry.exclusions.models import ExclusionEntry  # noqa: F401
from app.registry.aliases import NameAlias  # noqa: F401
from app.offers.models import *  # noqa: F401,F403,E402
from app.competitions.models import *  # noqa: F401,F403,E402
from app.concentration.models import *  # noqa: F401,F403,E402
from app.governance.models import *  # noqa: F401,F403,E402
from app.api.models import *  # noqa: F401,F403,E402
from app.web.pagecache import PageCacheVersion  # noqa: F401,E402
from app.jobs.models import JobRun  # noqa: F401,E402
from app.mail.models import EmailDelivery  # noqa: F401,E402
