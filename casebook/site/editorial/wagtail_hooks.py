from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from casebook.site.editorial import imports
from casebook.site.editorial.panels import MyDraftsPanel, QuickActionsPanel, RecentlyPublishedPanel, ReviewQueuePanel
from casebook.site.editorial.review import ReviewedPageViewSet


@hooks.register("construct_homepage_panels")
def add_editorial_panels(request, panels):
    panels += [QuickActionsPanel(), ReviewQueuePanel(), MyDraftsPanel(), RecentlyPublishedPanel()]


@hooks.register("register_admin_urls")
def import_urls():
    return [
        path("import-cases/", imports.start, name="editorial_import"),
        path("import-cases/template.xlsx", imports.template_download, name="editorial_import_template"),
        path("import-cases/<uuid:job_id>/", imports.job_view, name="editorial_import_job"),
        path("import-cases/<uuid:job_id>/confirm/", imports.confirm, name="editorial_import_confirm"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(imports.PERMISSION)


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return ImportMenuItem("事例の取り込み", reverse("editorial_import"), icon_name="upload", order=250)


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


@hooks.register("construct_page_action_menu")
def one_main_button(menu_items, request, context):
    """The main button is the step the page is waiting for.

    A moderator's, for a page in review they may approve, is 「承認と公開」, and the plain 「公開」 is not
    offered beside it (it would publish without recording the approval); pages not in review keep
    「公開」. An editor's is 「承認に回す」: every page goes through review, and saving a draft is one choice
    further (one click fewer on each page an editor finishes)."""
    names = [getattr(item, "name", "") for item in menu_items]
    if "approve" in names:
        menu_items[:] = [item for item in menu_items if getattr(item, "name", "") != "action-publish"]
        # Of the two approvals, the one without the comment dialog (「コメントを付けて承認と公開」 stays listed).
        approvals = [item for item in menu_items if getattr(item, "name", "") == "approve"]
        approve = next((item for item in approvals if not getattr(item, "launch_modal", False)), approvals[0])
        menu_items.remove(approve)
        menu_items.insert(0, approve)
    elif "action-submit" in names and "action-publish" not in names:
        menu_items.insert(0, menu_items.pop(names.index("action-submit")))


@hooks.register("register_admin_viewset")
def reviewed_page_views():
    """Every page type's editor and workflow action, with messages that say what a review did."""
    return ReviewedPageViewSet()


@hooks.register("after_create_page")
def stay_with_a_new_case(request, page):
    """A new case, saved or sent to review, stays open in its editor (with Wagtail's message): its next
    step is usually its interview, one tab away, not the case list."""
    from django.shortcuts import redirect

    from cases.models import CasePage

    if page.specific_class is CasePage and "action-publish" not in request.POST:
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None
