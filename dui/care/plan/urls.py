from django.urls import path

from . import views

# No app_name: the names live in the `care:` namespace, prefixed `plan_`.
urlpatterns = [
    path("<uuid:person_id>/soins/plan/", views.plan, name="plan"),
    path("<uuid:person_id>/soins/plan/nouveau/", views.plan_line_create, name="plan_line_create"),
    path(
        "<uuid:person_id>/soins/plan/<uuid:line_id>/modifier/",
        views.plan_line_change,
        name="plan_line_change",
    ),
    path(
        "<uuid:person_id>/soins/plan/<uuid:line_id>/arreter/",
        views.plan_line_stop,
        name="plan_line_stop",
    ),
    path("soins-du-jour/", views.tasks, name="plan_tasks"),
    path("soins-du-jour/<uuid:task_id>/tracer/", views.task_record, name="plan_task_record"),
    path("soins-du-jour/<uuid:task_id>/corriger/", views.record_amend, name="plan_record_amend"),
    path("soins-du-jour/plan-du-jour/", views.day_print, name="plan_day_print"),
    path("soins-du-jour/plan-du-jour.pdf", views.day_pdf, name="plan_day_pdf"),
]
