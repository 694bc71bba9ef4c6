from django.urls import path

from frameworks import views

app_name = "frameworks"
urlpatterns = [
    path("", views.framework_list, name="list"),
    path("crosswalk/", views.crosswalk, name="crosswalk"),
    path("<slug:slug>/", views.framework_detail, name="detail"),
]
