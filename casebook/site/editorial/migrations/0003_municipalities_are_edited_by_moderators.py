from django.db import migrations

from casebook.site.editorial.roles import EDITORS

TAKEN_FROM_EDITORS = ["add_municipality", "change_municipality"]


def moderators_edit_municipalities(apps, schema_editor):
    """Editors no longer add or change municipalities (their edits went live without review);
    moderators, who can, get the permissions if they lacked them."""
    from casebook.site.editorial.roles import ensure_roles

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    taken = Permission.objects.filter(content_type__app_label="taxonomy", codename__in=TAKEN_FROM_EDITORS)
    for group in Group.objects.filter(name=EDITORS):
        group.permissions.remove(*taken)
    ensure_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("editorial", "0002_taxonomy_permissions_and_one_workflow")]

    operations = [migrations.RunPython(moderators_edit_municipalities, migrations.RunPython.noop)]
