"""The operators' forms, one module per area: ``casework``, ``meetings``, ``reporting``,
``task_force``. Import them from their module (``from supervision.portal.forms.reporting import ...``).
A form checks what a form can; the rules are the services'."""
