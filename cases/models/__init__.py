from .pages import (  # noqa: F401
    CaseIndexPage,
    CaseOutcome,
    CasePage,
    CaseRelatedCase,
    CaseSource,
    CaseTag,
    InterviewPage,
    OnlineService,
)
from .taxonomy import REGIONS, GrantProgram, Municipality, Prefecture  # noqa: F401
