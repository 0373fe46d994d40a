"""A task waits on one office (`Office.key`) instead of a role and four foreign keys; existing rows are converted."""

from django.db import migrations, models
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

# The role a task waited on, and the column naming its office: "ncb" → national, "ilo" → agency:<agency_id>, ...
OFFICE_OF_ROLE = {
    "ilo": ("agency", "agency_id"),
    "uo": ("unit", "unit_id"),
    "district_officer": ("district", "district_id"),
    "station_officer": ("station", "station_id"),
}


def roles_to_offices(apps, schema_editor):
    Task = apps.get_model("workflow", "Task")
    Task.objects.filter(role="ncb").update(office="national")
    for role, (level, column) in OFFICE_OF_ROLE.items():
        Task.objects.filter(role=role, **{f"{column}__isnull": False}).update(
            office=Concat(Value(f"{level}:"), Cast(column, output_field=CharField()), output_field=CharField())
        )


def offices_to_roles(apps, schema_editor):
    Task = apps.get_model("workflow", "Task")
    UnitOffice = apps.get_model("directory", "UnitOffice")
    PoliceStation = apps.get_model("directory", "PoliceStation")
    Agency = apps.get_model("directory", "Agency")
    District = apps.get_model("directory", "District")
    roles = {level: (role, column) for role, (level, column) in OFFICE_OF_ROLE.items()}
    for task in Task.objects.exclude(office=""):
        level, _sep, ident = task.office.partition(":")
        if level == "national":
            task.role = "ncb"
        else:
            task.role, column = roles[level]
            setattr(task, column, int(ident))
            if level == "unit":
                task.agency_id = UnitOffice.objects.filter(pk=ident).values_list("agency_id", flat=True).first()
            elif level == "station":
                task.agency_id = PoliceStation.objects.filter(pk=ident).values_list("agency_id", flat=True).first()
            elif level == "district":
                state_id = District.objects.filter(pk=ident).values_list("state_id", flat=True).first()
                task.agency_id = Agency.objects.filter(state_id=state_id).values_list("pk", flat=True).first()
        task.save(update_fields=["role", "agency_id", "unit_id", "district_id", "station_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("workflow", "0002_task_district"),
    ]

    operations = [
        migrations.AddField(
            model_name="task",
            name="office",
            field=models.CharField(
                db_index=True,
                default="",
                help_text="The office that acts next, as `Office.key`: national, agency:7, unit:3, district:12, station:40.",
                max_length=40,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(roles_to_offices, offices_to_roles),
        migrations.RemoveIndex(model_name="task", name="workflow_ta_role_928ab1_idx"),
        # A default first, so that the migration can be reversed on a table with rows.
        migrations.AlterField(model_name="task", name="role", field=models.CharField(default="", max_length=20)),
        migrations.RemoveField(model_name="task", name="role"),
        migrations.RemoveField(model_name="task", name="agency"),
        migrations.RemoveField(model_name="task", name="unit"),
        migrations.RemoveField(model_name="task", name="station"),
        migrations.RemoveField(model_name="task", name="district"),
        migrations.AddIndex(model_name="task", index=models.Index(fields=["office", "closed_at", "due_at"], name="workflow_ta_office_bacac0_idx")),
    ]
