"""A small reverse proxy for tests: forwards every request to one upstream server and appends
the address it received the request from to X-Forwarded-For, as nginx's
`$proxy_add_x_forwarded_for` does. It connects upstream from its own source address, so the
upstream can tell it apart from clients on the same machine.

    python -m tests.two_servers.forwarding_proxy LISTEN_PORT UPSTREAM_PORT SOURCE_ADDRESS
"""

import http.client
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}


class Forwarder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    upstream_port: int
    source_address: str

    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        claimed = ", ".join(self.headers.get_all("X-Forwarded-For") or [])
        forwarded_for = f"{claimed}, {self.client_address[0]}" if claimed else self.client_address[0]
        upstream = http.client.HTTPConnection(
            "127.0.0.1", self.upstream_port, timeout=30, source_address=(self.source_address, 0)
        )
        try:
            upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in HOP_BY_HOP and name.lower() != "x-forwarded-for":
                    upstream.putheader(name, value)
            upstream.putheader("X-Forwarded-For", forwarded_for)
            upstream.endheaders(body)
            response = upstream.getresponse()
            content = response.read()
        finally:
            upstream.close()
        self.send_response_only(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = forward

    def log_message(self, format, *args):
        pass


def main(listen_port: str, upstream_port: str, source_address: str):
    Forwarder.upstream_port = int(upstream_port)
    Forwarder.source_address = source_address
    ThreadingHTTPServer(("127.0.0.1", int(listen_port)), Forwarder).serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:])
