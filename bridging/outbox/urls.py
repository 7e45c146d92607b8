from django.urls import URLPattern, URLResolver, path

from bridging.outbox import views

app_name = "outbox"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.monitor, name="monitor"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/<str:action>/", views.job_action, name="job_action"),
    path("bulk/", views.bulk_action, name="bulk"),
    path("services/<str:service>/pause/", views.pause_switch, name="pause"),
]
api_urlpatterns: list[URLPattern | URLResolver] = []
