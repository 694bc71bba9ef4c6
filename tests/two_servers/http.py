"""A small HTTP client with cookies and CSRF, for driving real app servers (no browser)."""

import http.client
import re
import time
import urllib.parse
from dataclasses import dataclass, field


@dataclass
class Answer:
    status: int
    body: str
    headers: dict


@dataclass
class Session:
    """One user's cookies, usable against any server: a session is not tied to a process."""

    cookies: dict = field(default_factory=dict)

    def header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


class Client:
    def __init__(self, port: int, session: Session | None = None, source: str | None = None):
        """`source`: the local address to connect from (any 127.x.y.z), to act as another client."""
        self.port = port
        self.session = session or Session()
        self.source = source
        self.connection = self.connect()

    def connect(self) -> http.client.HTTPConnection:
        source_address = (self.source, 0) if self.source else None
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=source_address)

    def request(self, method: str, path: str, data: dict | None = None, headers: dict | None = None) -> Answer:
        body = urllib.parse.urlencode(data or {}, doseq=True) if data is not None else None
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.session.cookies:
            sent["Cookie"] = self.session.header()
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            if "csrftoken" in self.session.cookies:
                sent["X-CSRFToken"] = self.session.cookies["csrftoken"]
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=sent)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A keep-alive connection the server closed: reconnect once and retry.
                self.connection.close()
                self.connection = self.connect()
                if attempt:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie, _, _ = value.partition(";")
                key, _, val = cookie.partition("=")
                self.session.cookies[key.strip()] = val.strip()
        return Answer(response.status, text, dict(response.getheaders()))

    def get(self, path: str, **headers) -> Answer:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data: dict, **headers) -> Answer:
        return self.request("POST", path, data=data, headers=headers)

    def log_in(self, username: str, password: str) -> Answer:
        page = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
        return self.post("/accounts/login/", {"username": username, "password": password, "csrfmiddlewaretoken": token})

    def close(self):
        self.connection.close()


def serving(process, port: int, path: str, what: str, seconds: float):
    """`process` once it answers 200 at `path` on `port`; killed, with its last words, if not in time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if Client(port).get(path).status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{what} on {port} did not start: {process.stderr.read().decode()[-2000:]}")
