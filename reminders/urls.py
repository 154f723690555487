"""Pages of the reminders app."""

from django.urls import path

from reminders import follow_through, views

app_name = "reminders"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("board/", views.board_overview, name="board"),
    path("patient/<int:patient_id>/", views.patient_history, name="patient_history"),
    path("follow-through/<int:board_id>/", follow_through.follow_through,
         name="follow_through"),
    path("actions/<int:pk>/record/", follow_through.action_record, name="action_record"),
    path("actions/<int:pk>/done/", follow_through.action_done, name="action_done"),
    path("actions/<int:pk>/not-done/", follow_through.action_not_done,
         name="action_not_done"),
    path("actions/<int:pk>/back-on-agenda/", follow_through.back_on_agenda,
         name="back_on_agenda"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/<slug:action>/", views.act, name="act"),
]
