"""Pages of the reminders app."""

from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("board/", views.board_overview, name="board"),
    path("patient/<int:patient_id>/", views.patient_history, name="patient_history"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/<slug:action>/", views.act, name="act"),
]
