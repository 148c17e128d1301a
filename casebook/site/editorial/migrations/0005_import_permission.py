from django.db import migrations


def grant_import_permission(apps, schema_editor):
    """Moderators and administrators import cases from a spreadsheet (casebook.site.editorial.roles)."""
    from casebook.site.editorial.roles import ensure_roles

    ensure_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0004_plan_version_permissions"),
        ("cases", "0011_import_permission"),
    ]

    operations = [migrations.RunPython(grant_import_permission, migrations.RunPython.noop)]
