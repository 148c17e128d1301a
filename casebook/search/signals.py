from django.db.models import Q
from django.db.models.signals import post_save
from wagtail.signals import page_published, page_unpublished

from casebook.search.index import index_page_safely, pages_to_reindex, remove_page


def page_changed(sender, instance, **kwargs):
    for page in pages_to_reindex(instance):
        if page.live:
            index_page_safely(page)
        else:
            remove_page(page.pk)


def organization_changed(sender, instance, **kwargs):
    """A renamed municipality or grant program changes the search text of its cases."""
    from cases.models import CasePage, Municipality

    if isinstance(instance, Municipality):
        cases = CasePage.objects.filter(Q(lead_organization=instance) | Q(partner_organizations=instance))
    else:
        cases = instance.cases.all()
    for case in cases.live().distinct():
        index_page_safely(case)


def connect():
    from cases.models import GrantProgram, Municipality

    page_published.connect(page_changed, dispatch_uid="casebook-search-published")
    page_unpublished.connect(page_changed, dispatch_uid="casebook-search-unpublished")
    for model in (Municipality, GrantProgram):
        post_save.connect(organization_changed, sender=model, dispatch_uid=f"casebook-search-{model.__name__}")
