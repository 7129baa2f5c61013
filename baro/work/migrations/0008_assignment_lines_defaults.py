"""Seed the assignment lines with Baro's defaults (baro.work.lines.DEFAULT_LINES, copied here:
a migration never imports app code), one row per pair of systems, so an administrator sees
and changes every pair."""

from django.db import migrations

SYSTEMS = ["whole", "government", "party", "front", "socio_political"]
WHOLE_BASIS = "Cấp tỉnh, Trung ương chỉ đạo toàn hệ thống chính trị cấp dưới."
PARTY_BASIS = "Cấp ủy lãnh đạo hệ thống chính trị cùng cấp và cấp dưới."
DEFAULTS = {
    **{("whole", lead): ("below", WHOLE_BASIS) for lead in SYSTEMS},
    ("government", "government"): ("below", "Cơ quan nhà nước chỉ đạo cơ quan nhà nước cấp dưới."),
    ("party", "government"): ("level", PARTY_BASIS),
    ("party", "party"): ("level", PARTY_BASIS),
    ("party", "front"): ("level", PARTY_BASIS),
    ("party", "socio_political"): ("level", PARTY_BASIS),
    ("front", "front"): ("below", "Ủy ban MTTQ hướng dẫn Ủy ban MTTQ cấp dưới."),
    ("front", "socio_political"): (
        "below",
        "Ủy ban MTTQ chủ trì phối hợp với các tổ chức thành viên.",
    ),
    ("socio_political", "socio_political"): (
        "below",
        "Tổ chức chính trị - xã hội chỉ đạo cấp dưới của mình.",
    ),
}


def seed(apps, schema_editor):
    line = apps.get_model("work", "AssignmentLine")
    line.objects.bulk_create(
        [
            line(
                assigner_system=a,
                lead_system=b,
                reach=DEFAULTS.get((a, b), ("", ""))[0],
                note=DEFAULTS.get((a, b), ("", ""))[1],
            )
            for a in SYSTEMS
            for b in SYSTEMS
        ],
        ignore_conflicts=True,
    )


def unseed(apps, schema_editor):
    apps.get_model("work", "AssignmentLine").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("work", "0007_assignment_lines")]
    operations = [migrations.RunPython(seed, unseed)]
