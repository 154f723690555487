"""Pages of the recommendations app."""

from django.urls import path

from recommendations import views

app_name = "recommendations"

urlpatterns = [
    path("rules/", views.rules_catalogue, name="rules"),
]
