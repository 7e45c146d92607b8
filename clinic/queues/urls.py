from django.urls import URLPattern, URLResolver

app_name = "queues"
urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = []
