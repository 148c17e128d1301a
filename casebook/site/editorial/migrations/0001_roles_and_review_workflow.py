from django.db import migrations


def create_roles(apps, schema_editor):
    from casebook.site.editorial.roles import ensure_roles

    ensure_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("cases", "0004_alter_casepage_launched_year"),
        ("measures", "0002_alter_measurepage_body"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
