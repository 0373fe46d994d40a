"""The migration that gives each task one office: every existing task keeps waiting where it waited, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.offices import Office
from directory.models import Agency, District, PoliceStation, UnitOffice

BEFORE = [("workflow", "0002_task_district")]
AFTER = [("workflow", "0003_task_office")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_each_tasks_role_and_office_become_one_office_key_and_back(reference_data):
    delhi = Agency.objects.get(code="PS-DL")
    district = District.objects.filter(state=delhi.state).order_by("lgd_code").first()
    unit = UnitOffice.objects.create(agency=delhi, code="M-DL-CB", name="Crime Branch")
    station = PoliceStation.objects.create(code="M-DL-PS1", name="Connaught Place", district=district, agency=delhi, lat=28.6, lon=77.2)
    waiting = {
        "N-1": ({"role": "ncb", "agency_id": delhi.pk}, "national"),
        "N-2": ({"role": "ilo", "agency_id": delhi.pk}, Office.agency(delhi.pk).key),
        "N-3": ({"role": "uo", "agency_id": delhi.pk, "unit_id": unit.pk}, f"unit:{unit.pk}"),
        "N-4": ({"role": "district_officer", "agency_id": delhi.pk, "district_id": district.pk}, f"district:{district.pk}"),
        "N-5": ({"role": "station_officer", "agency_id": delhi.pk, "station_id": station.pk}, f"station:{station.pk}"),
    }
    try:
        old = migrate(BEFORE)
        task, content_type = old.get_model("workflow", "Task"), old.get_model("contenttypes", "ContentType")
        kind = content_type.objects.get_or_create(app_label="notices", model="noticerequest")[0]
        for number, (reference, (columns, _key)) in enumerate(waiting.items(), 1):
            task.objects.create(
                content_type=kind, object_id=number, stage="s", title="t", reference=reference, kind="k", url="/", **columns
            )

        new = migrate(AFTER)
        assert dict(new.get_model("workflow", "Task").objects.values_list("reference", "office")) == {
            reference: key for reference, (_columns, key) in waiting.items()
        }

        old = migrate(BEFORE)
        fields = ("role", "agency_id", "unit_id", "district_id", "station_id")
        back = {row["reference"]: row for row in old.get_model("workflow", "Task").objects.values("reference", *fields)}
        for reference, (columns, _key) in waiting.items():
            if columns["role"] != "ncb":  # the NCB's tasks did not need their agency
                assert {name: back[reference][name] for name in columns} == columns, reference
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
