from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from casebook.editorial import imports
from casebook.editorial.panels import MyDraftsPanel, RecentlyPublishedPanel, ReviewQueuePanel


@hooks.register("construct_homepage_panels")
def add_editorial_panels(request, panels):
    panels += [ReviewQueuePanel(), MyDraftsPanel(), RecentlyPublishedPanel()]


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
