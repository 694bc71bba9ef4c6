from django.urls import path

from workshops import views

app_name = "workshop"
urlpatterns = [
    path("join/", views.join, name="join"),
    path("workshop/<uuid:workshop_id>/", views.participant_page, name="participant"),
    path("workshop/<uuid:workshop_id>/poll/", views.participant_poll, name="participant_poll"),
    path("workshop/<uuid:workshop_id>/role/", views.participant_role, name="participant_role"),
    path("workshop/<uuid:workshop_id>/notes/<uuid:note_id>/", views.participant_note_edit, name="participant_note"),
    path(
        "workshop/<uuid:workshop_id>/notes/<uuid:note_id>/withdraw/",
        views.participant_note_withdraw, name="participant_note_withdraw",
    ),
    path("w/<uuid:workspace_id>/workshops/", views.workshop_list, name="list"),
    path("w/<uuid:workspace_id>/workshops/<uuid:workshop_id>/", views.board, name="board"),
    path("w/<uuid:workspace_id>/workshops/<uuid:workshop_id>/present/", views.presenter, name="present"),
    path("w/<uuid:workspace_id>/workshops/<uuid:workshop_id>/poll/", views.board_poll, name="board_poll"),
    path("w/<uuid:workspace_id>/workshops/<uuid:workshop_id>/notes/<uuid:note_id>/", views.note_tools, name="note"),
    path("w/<uuid:workspace_id>/workshops/<uuid:workshop_id>/notes/<uuid:note_id>/move/", views.note_move, name="note_move"),
    path("w/<uuid:workspace_id>/workshops/<uuid:workshop_id>/notes/<uuid:note_id>/map/", views.note_map, name="note_map"),
    path("w/<uuid:workspace_id>/workshops/<uuid:workshop_id>/notes/<uuid:note_id>/edit/", views.note_edit, name="note_edit"),
    path("w/<uuid:workspace_id>/workshops/<uuid:workshop_id>/notes/<uuid:note_id>/owners/", views.note_owners, name="note_owners"),
    path("w/<uuid:workspace_id>/workshops/<uuid:workshop_id>/merge/", views.notes_merge, name="merge"),
    path("w/<uuid:workspace_id>/workshops/<uuid:workshop_id>/close/", views.workshop_close, name="close"),
    path("w/<uuid:workspace_id>/workshops/<uuid:workshop_id>/new-code/", views.workshop_new_code, name="new_code"),
    path("w/<uuid:workspace_id>/workshops/<uuid:workshop_id>/commit/", views.workshop_commit, name="commit"),
    path("w/<uuid:workspace_id>/workshops/<uuid:workshop_id>/results/", views.results, name="results"),
]
