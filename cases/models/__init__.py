# After the pages: the index page's routes use the list, query and export modules, which use them.
from .index import CaseIndexPage  # noqa: E402, F401
from .pages import (  # noqa: F401
    CaseDocument,
    CaseOutcome,
    CasePage,
    CaseRelatedCase,
    CaseSource,
    CaseTag,
    InterviewPage,
    OnlineService,
)
from .submissions import CaseSubmission  # noqa: E402, F401
