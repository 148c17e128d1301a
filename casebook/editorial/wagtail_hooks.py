from wagtail import hooks

from casebook.editorial.panels import MyDraftsPanel, RecentlyPublishedPanel, ReviewQueuePanel


@hooks.register("construct_homepage_panels")
def add_editorial_panels(request, panels):
    panels += [ReviewQueuePanel(), MyDraftsPanel(), RecentlyPublishedPanel()]
