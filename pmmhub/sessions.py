"""Django's database sessions, with keys checked for the characters Django makes them of.

A forged session cookie holding a NUL character reached the database lookup, which
PostgreSQL refuses with an error (a 500 on every page for that visitor). Django's keys are
lower-case letters and digits, so anything else is no session at all.
"""

from django.contrib.sessions.backends import db


class SessionStore(db.SessionStore):
    def _validate_session_key(self, key):
        return super()._validate_session_key(key) and key.isascii() and key.isalnum()
