from django.db import migrations
from django.db.models import F

# Rows the seed loader created before it numbered them have no sort_order, so their order on the page
# depended on the database's physical row order. Number them in the order they were created.
CHILDREN = [
    ("cases", "CaseOutcome"),
    ("cases", "OnlineService"),
    ("cases", "CaseSource"),
    ("cases", "CaseRelatedCase"),
    ("measures", "MeasureTarget"),
    ("measures", "MeasureStatistic"),
    ("measures", "SupportMeasure"),
    ("measures", "StandardBusiness"),
    ("measures", "MeasureSource"),
]


def number_children(apps, schema_editor):
    for app_label, model_name in CHILDREN:
        model = apps.get_model(app_label, model_name)
        pages = model.objects.filter(sort_order__isnull=True).values_list("page_id", flat=True).distinct()
        for page_id in list(pages):
            rows = list(model.objects.filter(page_id=page_id).order_by(F("sort_order").asc(nulls_last=True), "pk"))
            for position, row in enumerate(rows):
                row.sort_order = position
            model.objects.bulk_update(rows, ["sort_order"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_interview_help_texts"),
        ("measures", "0002_alter_measurepage_body"),
    ]

    operations = [migrations.RunPython(number_children, migrations.RunPython.noop)]
