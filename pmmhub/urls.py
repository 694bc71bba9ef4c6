from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import ThrottledAuthenticationForm
from pmmhub import views

# Accounts have no email address, so there is no password reset to offer: an administrator
# sets a forgotten password (`manage.py changepassword NAME`), as the login page says.
account_urls = [
    path("signup/", views.signup, name="signup"),
    path("login/", auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include(account_urls)),
    path("admin/", admin.site.urls),
    path("frameworks/", include("frameworks.urls")),
    path("", include("responsibilities.urls")),
    path("", include("workshops.urls")),
]

handler400 = "pmmhub.errors.bad_request"
