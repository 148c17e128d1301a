"""Admin endpoints of the taxonomy."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from casebook.base.core.text import clean_text, normalise
from casebook.base.core.widgets import chooser_label
from casebook.base.taxonomy.models import Municipality

RESULTS = 20


@require_GET
def organization_search(request):
    """Organizations whose name, reading, romaji, code or prefecture contain every word typed, for
    the case editor's partner and visited choosers (SearchableMultipleChooser)."""
    text = clean_text(normalise(request.GET.get("q", "")))[:100]
    if not text:
        return JsonResponse({"results": []})
    found = Municipality.objects.matching(text).order_by("code")[:RESULTS]
    return JsonResponse({"results": [{"id": m.pk, "label": chooser_label(m)} for m in found]})
