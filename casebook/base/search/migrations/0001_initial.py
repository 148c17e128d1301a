import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

FTS_COLUMNS = "title, org, heads, body"


def create_backend_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS casebook_search_fts USING fts5({FTS_COLUMNS}, "
            "content='', tokenize='unicode61 remove_diacritics 0')"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS casebook_search_vector_gin "
            "ON casebook_search_searchentry USING gin (vector)"
        )


def drop_backend_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS casebook_search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS casebook_search_vector_gin")


class Migration(migrations.Migration):
    initial = True

    dependencies = [("wagtailcore", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "page",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="wagtailcore.page",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("case", "事例"), ("measure", "重点取組事項"), ("interview", "インタビュー")],
                        max_length=20,
                    ),
                ),
                ("fts_rowid", models.BigIntegerField(null=True, unique=True)),
                ("vector", django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
            options={"verbose_name": "検索索引"},
        ),
        migrations.RunPython(create_backend_index, drop_backend_index),
    ]
