"""The operators' distribution lists in the administration's face: who receives official documents.

Read-only: the rule is ``User.objects.document_recipients`` and ``core.distribution`` explains it
per operator; a manager is added by a user administrator, a designated contact by the operator's
task force in its portal.
"""

from django.shortcuts import render

from supervision.core import distribution
from supervision.core.permissions import regulator_required


@regulator_required
def distribution_lists(request):
    lists = distribution.lists()
    nobody = [entry.operator for entry in lists if entry.empty]
    return render(
        request,
        "control/distribution.html",
        {"lists": lists, "nobody": nobody, "nobody_names": distribution.names(nobody)},
    )
