from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model

from accounts.forms import AdminUserChangeForm, AdminUserCreationForm, ThrottledAdminAuthenticationForm

# The admin's login spends and honours the same failure budget as the app's.
admin.site.login_form = ThrottledAdminAuthenticationForm

admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class UserAdmin(auth_admin.UserAdmin):
    """Django's user admin, saying so when a name looks like a taken one (instead of failing)."""

    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
