"""Who may do what, and the review every case goes through before it is public.

Everything here takes an app registry, so that the data migration (historical models)
and the running site (signals, commands) share one definition of the roles.
"""

EDITORS = "編集者"
MODERATORS = "承認者"
ADMINS = "管理者"
ROLE_ALIASES = {"editor": EDITORS, "moderator": MODERATORS, "admin": ADMINS}

WORKFLOW_NAME = "事例の承認"
TASK_NAME = "承認者による確認"

# Page permissions are granted on the tree's root, so they cover every page.
_EDITOR_PAGE = ["add_page", "change_page"]
_MODERATOR_PAGE = _EDITOR_PAGE + ["publish_page", "bulk_delete_page", "lock_page", "unlock_page"]

# Model permissions as (app_label, model, [actions]).
_EDITOR_MODELS = [
    ("wagtailadmin", "admin", ["access"]),
    # A municipality's name is on every page and export, and a snippet edit goes live at once without
    # review: editors choose municipalities, moderators add and change them (the history keeps who).
    ("taxonomy", "municipality", ["view"]),
    ("taxonomy", "grantprogram", ["view"]),
    ("taxonomy", "prefecture", ["view"]),
    ("measures", "planversion", ["view"]),
]
_MODERATOR_MODELS = _EDITOR_MODELS + [
    ("taxonomy", "municipality", ["add", "change", "delete"]),
    ("taxonomy", "grantprogram", ["add", "change", "delete"]),
    # A plan edition renumbers every measure at once, live: moderators add the next revision.
    ("measures", "planversion", ["add", "change", "delete"]),
    # Many cases at once from a spreadsheet (into review, never live): moderators and administrators.
    ("cases", "casepage", ["import"]),
]
# Images and documents are permitted per collection; these apply to the root collection.
_EDITOR_MEDIA = [
    ("wagtailimages", "image", ["add", "change", "choose"]),
    ("wagtaildocs", "document", ["add", "change", "choose"]),
]
_MODERATOR_MEDIA = _EDITOR_MEDIA + [
    ("wagtailimages", "image", ["delete"]),
    ("wagtaildocs", "document", ["delete"]),
]
_ADMIN_MODELS = _MODERATOR_MODELS + [
    ("taxonomy", "prefecture", ["add", "change", "delete"]),
    ("auth", "user", ["add", "change", "delete", "view"]),
    ("auth", "group", ["add", "change", "delete", "view"]),
]

ROLES = {
    EDITORS: (_EDITOR_PAGE, _EDITOR_MODELS, _EDITOR_MEDIA),
    MODERATORS: (_MODERATOR_PAGE, _MODERATOR_MODELS, _MODERATOR_MEDIA),
    ADMINS: (_MODERATOR_PAGE, _ADMIN_MODELS, _MODERATOR_MEDIA),
}

# Wagtail's English starter groups and workflow, replaced by the ones above.
_WAGTAIL_DEFAULT_GROUPS = ["Editors", "Moderators"]
_WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    try:
        label = apps.get_model(app_label, model)._meta.verbose_name
    except LookupError:  # wagtailadmin.admin is a permission without a model
        label = model
    action = codename.split("_", 1)[0]
    name = f"Can {action} {label}"
    permission, created = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    if not created and permission.name != name and label != model:  # named before its model was known
        permission.name = name
        permission.save(update_fields=["name"])
    return permission


def ensure_roles(apps):
    """Create or complete the three groups and the review workflow; safe to run again."""
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Page.objects.filter(depth=1).order_by("path").first()
    root_collection = apps.get_model("wagtailcore", "Collection").objects.filter(depth=1).first()

    groups = {}
    for name, (page_codenames, model_permissions, media_permissions) in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        for app_label, model, actions in model_permissions:
            for action in actions:
                group.permissions.add(_permission(apps, app_label, model, f"{action}_{model}"))
        if root_collection is not None:
            for app_label, model, actions in media_permissions:
                for action in actions:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group,
                        collection=root_collection,
                        permission=_permission(apps, app_label, model, f"{action}_{model}"),
                    )
        if root is not None:
            for codename in page_codenames:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root, permission=_permission(apps, "wagtailcore", "page", codename)
                )

    for name in _WAGTAIL_DEFAULT_GROUPS:
        Group.objects.filter(name=name, user__isnull=True).delete()

    workflow = _ensure_workflow(apps, groups[MODERATORS])
    _retire_default_workflow(apps)
    # On the root only: Wagtail looks up the tree for a page's workflow, so it covers every page.
    if root is not None:
        attach_workflow(apps, workflow, [root.pk])
    return groups, workflow


def _ensure_workflow(apps, moderators):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=content_type, active=True)
    task.groups.add(moderators)

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


def _retire_default_workflow(apps):
    """Remove Wagtail's English default workflow unless something has already gone through it."""
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    Task = apps.get_model("wagtailcore", "Task")
    default = Workflow.objects.filter(name=_WAGTAIL_DEFAULT_WORKFLOW).first()
    if default is None:
        return
    if WorkflowState.objects.filter(workflow=default).exists():
        default.workflow_pages.all().delete()
        return
    task_ids = list(default.workflow_tasks.values_list("task_id", flat=True))
    default.delete()
    for task in Task.objects.filter(pk__in=task_ids, name=_WAGTAIL_DEFAULT_WORKFLOW):
        if not TaskState.objects.filter(task=task).exists():
            task.delete()


def attach_workflow(apps, workflow, page_ids):
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    for page_id in page_ids:
        WorkflowPage.objects.update_or_create(page_id=page_id, defaults={"workflow": workflow})
