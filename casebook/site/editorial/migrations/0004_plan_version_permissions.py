from django.db import migrations


def grant_plan_version_permissions(apps, schema_editor):
    """Editors see the plan's editions; moderators add the next revision (casebook.site.editorial.roles)."""
    from casebook.site.editorial.roles import ensure_roles

    ensure_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0003_municipalities_are_edited_by_moderators"),
        ("measures", "0004_plan_versions"),
    ]

    operations = [migrations.RunPython(grant_plan_version_permissions, migrations.RunPython.noop)]
