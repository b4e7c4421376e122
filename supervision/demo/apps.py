from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data (``manage.py seed_demo``): the top of the stack, installed last, no models.

    It depends on every app and nothing depends on it: it tells the demo's story through the
    other apps' services. With no models, it appears on no page (hence no verbose name).
    """

    name = "supervision.demo"
    label = "demo"
