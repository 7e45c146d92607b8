from django.urls import URLPattern, URLResolver, path

from clinic.capitation import api, views

app_name = "capitation"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("outreach/", views.outreach, name="outreach"),
    path("referrals/", views.referrals, name="referrals"),
    path("prolanis/uncontrolled/", views.prolanis_uncontrolled, name="prolanis-uncontrolled"),
    path("roster/", views.roster_page, name="roster"),
    path("roster/<str:kind>/", views.roster_changes, name="roster-changes"),
    path("settings/", views.settings_page, name="settings"),
    path("rules/", views.rules, name="rules"),
    path("reports/", views.reports_page, name="reports"),
    path("prolanis/", views.prolanis, name="prolanis"),
    path("prolanis/activity/<int:pk>/", views.prolanis_activity, name="prolanis-activity"),
]
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("capitation/dashboard/", api.DashboardView.as_view(), name="capitation-dashboard"),
]
