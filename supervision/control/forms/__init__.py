"""The administration's forms, one module per area: ``casework``, ``meetings``, ``reporting``,
``briefings``. Import them from their module (``from supervision.control.forms.casework import ...``).
A form checks what a form can; the rules are the services'."""
