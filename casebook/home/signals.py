from django.apps import apps
from django.db.models.signals import post_delete, post_migrate, post_save
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from casebook.cache import invalidate_content


def connect():
    from cases.models import GrantProgram, Municipality, Prefecture

    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(invalidate_content, dispatch_uid=f"casebook-invalidate-{id(signal)}")
    for model in (Prefecture, Municipality, GrantProgram, Tag, PageViewRestriction):
        post_save.connect(invalidate_content, sender=model, dispatch_uid=f"casebook-save-{model.__name__}")
        post_delete.connect(invalidate_content, sender=model, dispatch_uid=f"casebook-delete-{model.__name__}")
    # Deleting any page (a case, a measure, an index) changes what lists can show.
    post_delete.connect(_page_deleted, dispatch_uid="casebook-delete-page")
    # A live page saved through the ORM (a command, a script) changes what the public sees.
    post_save.connect(_page_saved, dispatch_uid="casebook-save-page")
    # A deploy runs migrate: cached fragments and results from the previous code must not be
    # served by the new templates and code. Sent once, after the version table's own migrations.
    post_migrate.connect(
        invalidate_content, sender=apps.get_app_config("core"), dispatch_uid="casebook-invalidate-on-migrate"
    )


# What saving a draft or locking a page writes to the page row; none of it is public.
DRAFT_BOOKKEEPING = {
    "wagtail_admin_comments",
    "latest_revision_created_at",
    "draft_title",
    "latest_revision",
    "has_unpublished_changes",
    "locked",
    "locked_by",
    "locked_at",
}


def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        invalidate_content()


def _page_saved(sender, instance, update_fields=None, **kwargs):
    if isinstance(instance, Page) and instance.live and not (update_fields and set(update_fields) <= DRAFT_BOOKKEEPING):
        invalidate_content()
