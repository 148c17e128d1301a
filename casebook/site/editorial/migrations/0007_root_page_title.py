from django.db import migrations


def japanese_root(apps, schema_editor):
    """Wagtail names the tree's root 「Root」; the admin shows it at the top of the page explorer."""
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title="Root").update(title="ルート（すべてのサイト）", draft_title="ルート（すべてのサイト）")


def english_root(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title="ルート（すべてのサイト）").update(title="Root", draft_title="Root")


class Migration(migrations.Migration):
    dependencies = [("editorial", "0006_import_jobs"), ("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(japanese_root, english_root)]
