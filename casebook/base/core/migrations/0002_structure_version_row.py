import uuid

from django.db import migrations

ROWS = (1, 2)  # the content's token and the structure's (casebook.base.core.cache)


def create_version_rows(apps, schema_editor):
    """The rows are made here (and by `migrate`, for a database restored without them), never by the
    running app: an insert racing a raw pg_restore left the table without its primary key."""
    ContentVersion = apps.get_model("core", "ContentVersion")
    for row in ROWS:
        ContentVersion.objects.using(schema_editor.connection.alias).get_or_create(
            pk=row, defaults={"token": uuid.uuid4().hex}
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_version_rows, migrations.RunPython.noop)]
