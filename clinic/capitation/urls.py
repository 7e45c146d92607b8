from django.urls import URLPattern, URLResolver

app_name = "capitation"
urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = []
