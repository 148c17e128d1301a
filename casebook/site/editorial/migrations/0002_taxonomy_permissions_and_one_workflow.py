from django.db import migrations


def update_roles(apps, schema_editor):
    """Grant the taxonomy permissions under their new app label, and leave the review workflow on the
    root alone: Wagtail looks up the tree, so the indexes need no attachment of their own."""
    from casebook.site.editorial.roles import WORKFLOW_NAME, ensure_roles

    ensure_roles(apps)
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowPage.objects.filter(workflow__name=WORKFLOW_NAME, page__depth__gt=1).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_roles_and_review_workflow"),
        ("taxonomy", "0001_initial"),
        ("seed", "0001_initial"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
