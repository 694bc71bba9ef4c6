from django.contrib import admin

from accounts.forms import ThrottledAdminAuthenticationForm

# The admin's login spends and honours the same failure budget as the app's.
admin.site.login_form = ThrottledAdminAuthenticationForm
