"""The client's address, for the limits on logins, sign-ups and workshop joins."""


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"
