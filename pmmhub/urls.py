from django.contrib import admin
from django.urls import include, path

from pmmhub import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("frameworks/", include("frameworks.urls")),
    path("", include("responsibilities.urls")),
    path("", include("responsibilities.workshop.urls")),
]
