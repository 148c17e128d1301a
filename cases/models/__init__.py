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
