from django.urls import URLPattern, URLResolver, path

from bridging.uat import views

app_name = "uat"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.runs, name="runs"),
    path("compare/", views.compare_runs, name="compare"),
    path("environment/", views.environment, name="environment"),
    path("<int:pk>/", views.run_detail, name="run"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/report.html", views.report_html, name="report-html"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report-pdf"),
    path("<int:pk>/report.json", views.report_json, name="report-json"),
    path("<int:pk>/report.zip", views.report_zip, name="report-zip"),
]
api_urlpatterns: list[URLPattern | URLResolver] = []
