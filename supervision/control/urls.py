from django.urls import path

from . import views

app_name = "control"

urlpatterns = [
    path("", views.home, name="home"),
    path("task-forces/", views.task_forces, name="task_forces"),
]
