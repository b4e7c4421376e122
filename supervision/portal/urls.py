from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("task-force/", views.task_force, name="task_force"),
    path("task-force/new/", views.task_force_member_edit, name="task_force_add"),
    path("task-force/<int:pk>/", views.task_force_member_edit, name="task_force_edit"),
    path("task-force/<int:pk>/delete/", views.task_force_member_delete, name="task_force_delete"),
]
