from django.urls import URLPattern, URLResolver, path

from bridging.credentials import views

app_name = "credentials"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.credential_list, name="list"),
    path("<str:environment>/test/", views.connection_test, name="test"),
    path("<str:environment>/<str:service>/", views.credential_edit, name="edit"),
]
api_urlpatterns: list[URLPattern | URLResolver] = []
