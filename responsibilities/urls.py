from django.urls import path

from responsibilities import views

app_name = "workspaces"
urlpatterns = [
    path("workspaces/", views.workspace_list, name="list"),
    path("workspaces/import/", views.workspace_import_view, name="import"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("w/<uuid:workspace_id>/", views.matrix, name="matrix"),
    path("w/<uuid:workspace_id>/cell/", views.cell_set, name="cell"),
    path("w/<uuid:workspace_id>/mapping/", views.mapping, name="mapping"),
    path("w/<uuid:workspace_id>/mapping/accept/", views.mapping_accept, name="mapping_accept"),
    path("w/<uuid:workspace_id>/mapping/remove/", views.mapping_remove, name="mapping_remove"),
    path("w/<uuid:workspace_id>/mapping/accept-all/", views.mapping_accept_all, name="mapping_accept_all"),
    path("w/<uuid:workspace_id>/mapping/accept-all/apply/", views.mapping_accept_all_apply, name="mapping_accept_all_apply"),
    path("w/<uuid:workspace_id>/mapping/undo/", views.mapping_undo, name="mapping_undo"),
    path("w/<uuid:workspace_id>/dashboard/", views.dashboard, name="dashboard"),
    path("w/<uuid:workspace_id>/lens/", views.lens, name="lens"),
    path("w/<uuid:workspace_id>/roles-document/", views.role_document, name="roles_document"),
    path("w/<uuid:workspace_id>/activities/", views.activity_list, name="activities"),
    path("w/<uuid:workspace_id>/activities/add/", views.activity_add, name="activity_add"),
    path("w/<uuid:workspace_id>/activities/move/", views.activity_move, name="activity_move"),
    path("w/<uuid:workspace_id>/a/<uuid:activity_id>/", views.activity_detail, name="activity"),
    path("w/<uuid:workspace_id>/a/<uuid:activity_id>/map/", views.activity_mapping, name="activity_mapping"),
    path("w/<uuid:workspace_id>/a/<uuid:activity_id>/delete/", views.activity_delete, name="activity_delete"),
    path("w/<uuid:workspace_id>/team/", views.team, name="team"),
    path("w/<uuid:workspace_id>/roles/add/", views.role_add, name="role_add"),
    path("w/<uuid:workspace_id>/roles/move/", views.role_move, name="role_move"),
    path("w/<uuid:workspace_id>/roles/<uuid:role_id>/", views.role_edit, name="role"),
    path("w/<uuid:workspace_id>/roles/<uuid:role_id>/delete/", views.role_delete, name="role_delete"),
    path("w/<uuid:workspace_id>/people/add/", views.person_add, name="person_add"),
    path("w/<uuid:workspace_id>/people/<uuid:person_id>/", views.person_edit, name="person"),
    path("w/<uuid:workspace_id>/members/", views.members, name="members"),
    path("w/<uuid:workspace_id>/export/<str:fmt>/", views.workspace_export_view, name="export"),
    path("w/<uuid:workspace_id>/settings/", views.settings_view, name="settings"),
    path("w/<uuid:workspace_id>/delete/", views.workspace_delete, name="delete"),
]
