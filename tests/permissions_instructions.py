"""Leadership's instructions (批示) in the permission matrix (merged by tests/test_permissions.py).

An instruction on operator A's report. Both URLs are buttons (a GET answers 405): giving one is
leadership's (the staff's POST is refused by the service: tests/core/test_instructions.py),
acknowledging one the staff's; the operators never reach either.
"""

from django.contrib.contenttypes.models import ContentType

from supervision.core import instructions
from supervision.core.models import Instruction, User


def objects(objs):
    chief = User.objects.create(username="matrix_leader", role="regulator_leader")
    report = objs["second"]
    instruction = Instruction.objects.create(
        content_type=ContentType.objects.get_for_model(report),
        object_id=report.pk,
        kind=instructions.kind_of(report),
        object_repr=str(report),
        text="请抓紧核实",
        author=chief,
    )
    return {"instruction": instruction}


URL_KWARGS = {
    "control:instruction_give": lambda objs: {"kind": "report", "pk": objs["second"].pk},
    "control:instruction_acknowledge": lambda objs: {"pk": objs["instruction"].pk},
}
POST_ONLY = {"control:instruction_give", "control:instruction_acknowledge"}
REGULATOR_STAFF_ONLY = {"control:instruction_acknowledge"}
