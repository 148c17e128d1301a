from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("seed", "0001_initial"),
    ]

    # SeedRecord now belongs to the seed app, in the same table.
    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="SeedRecord")]),
    ]
