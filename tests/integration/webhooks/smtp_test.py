#!/usr/bin/env python3
"""The collector's SMTP client (collector/webhooks/smtp_client) against a real SMTP server on
127.0.0.1: Debian's python3-aiosmtpd, with STARTTLS (a self-signed certificate made with the
openssl CLI) and AUTH, driven through streamscope-smtp-send. What arrives is checked as the
server saw it: the envelope, the headers, the body (dot-stuffing undone), TLS and the login.

Usage: smtp_test.py SMTP_SEND SCENARIO   (no database)

Scenarios: delivered, auth_login, implicit_tls, refused_recipient, temporary_failure,
silent_server, plaintext_refused, wrong_password, untrusted_certificate.
"""
import os
import sys

try:
    import aiosmtpd  # noqa: F401
except ImportError:
    # python3-aiosmtpd is Debian's, for Debian's python3: another python3 first on PATH (a
    # pyenv one) does not have it.
    debian = "/usr/bin/python3"
    if os.path.exists(debian) and os.path.realpath(sys.executable) != os.path.realpath(debian):
        os.execv(debian, [debian] + sys.argv)
    sys.exit("smtp_test: python3-aiosmtpd is missing (deploy/install-deps.sh installs it)")

import email
import email.policy
import email.utils
import json
import logging
import socket
import ssl
import subprocess
import time
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from e2e import check, free_port, run  # noqa: E402

# aiosmtpd's own noise: it sets the attribute it deprecates on every login, and warns that a
# relay which takes AUTH without TLS is unsafe (the plaintext scenario's point).
logging.getLogger("mail.log").setLevel(logging.ERROR)
warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")

SEND, SCENARIO = sys.argv[1], sys.argv[2]
USER, PASSWORD = "alerts@example.com", "s3cret p@ss"
URL_PASSWORD = "s3cret%20p%40ss"
FROM = "alerts@example.com"
TO = ["ops@example.com", "oncall@example.org"]


def make_certificate(work):
    """A self-signed certificate for 127.0.0.1 and its key: (cert path, key path)."""
    cert, key = os.path.join(work, "relay.crt"), os.path.join(work, "relay.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                    "/CN=streamscope-test-relay", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    return cert, key


def server_context(cert, key):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


class Sink:
    """What the relay saw: each message accepted, every MAIL and login tried. Refuses the
    recipients in `refuse` with `refuse_reply`, and DATA with `data_reply` when set."""

    def __init__(self, refuse=(), refuse_reply="", data_reply=None):
        self.messages, self.mail_commands, self.logins = [], 0, []
        self.refuse, self.refuse_reply, self.data_reply = set(refuse), refuse_reply, data_reply

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.mail_commands += 1
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            return self.data_reply
        # TLS from STARTTLS or from the first byte alike.
        tls = server.transport.get_extra_info("ssl_object") is not None
        self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                              "content": envelope.content, "tls": tls,
                              "login": session.auth_data})
        return "250 2.0.0 queued"

    def authenticator(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() and
              auth_data.password == PASSWORD.encode())
        self.logins.append((mechanism, ok))
        return AuthResult(success=ok, handled=False, auth_data=USER if ok else None)


def start_relay(sink, work, starttls=True, implicit=False, auth=True, **kwargs):
    cert, key = make_certificate(work)
    context = server_context(cert, key)
    params = dict(kwargs)
    if starttls and not implicit:
        params.update(tls_context=context, require_starttls=True)
    if auth:
        params.update(authenticator=sink.authenticator, auth_required=True)
    controller = Controller(sink, hostname="127.0.0.1", port=free_port(),
                            ssl_context=context if implicit else None,
                            server_hostname="127.0.0.1", **params)
    controller.start()
    return controller, cert


def send(work, url, to=TO, ca=None, event=None, text=None, subject="A test", timeout_ms=None):
    """(exit code, output, seconds) of one streamscope-smtp-send."""
    args = [SEND, "--url", url, "--from", FROM]
    for address in to:
        args += ["--to", address]
    if event is not None:
        path = os.path.join(work, "event.json")
        with open(path, "w") as f:
            json.dump(event, f)
        args += ["--event", path]
    else:
        path = os.path.join(work, "text.txt")
        with open(path, "w") as f:
            f.write(text)
        args += ["--subject", subject, "--text-file", path]
    if ca:
        args += ["--ca-file", ca]
    if timeout_ms:
        args += ["--timeout-ms", str(timeout_ms)]
    started = time.monotonic()
    out = subprocess.run(args, capture_output=True, text=True, timeout=60)
    output = out.stdout + out.stderr
    print("  driver: " + output.strip().replace("\n", "\n  driver: "))
    return out.returncode, output, time.monotonic() - started


def live_event():
    """A stream.live event whose texts hold what a message must survive: a name starting with
    a dot (the body's first line), quotes, <>&, an emoji and a line break in the title."""
    return {"id": 123, "type": "stream.live", "timestamp": "2026-12-07T23:00:00Z",
            "sweep_id": 456, "platform": "twitch",
            "data": {"stream": {"platform": "twitch", "channel_id": "1", "username": "dot",
                                "display_name": ".Dot", "title": 'Say "hi" <b>&</b> 🎮\nnow',
                                "game_id": "509658", "game_name": "Just Chatting",
                                "viewer_count": 45210, "language": "en",
                                "started_at": "2026-12-07T22:00:00Z",
                                "collected_at": "2026-12-07T23:00:00Z", "thumbnail_url": "",
                                "stream_url": "https://www.twitch.tv/dot"}}}


def parsed(message):
    return email.message_from_bytes(message["content"], policy=email.policy.default)


def text_of(message):
    """The decoded body, its CRLFs as the text's line breaks."""
    return parsed(message).get_content().replace("\r\n", "\n")


def url_of(controller, scheme="smtp", credentials=True, query=""):
    userinfo = f"{USER.replace('@', '%40')}:{URL_PASSWORD}@" if credentials else ""
    return f"{scheme}://{userinfo}127.0.0.1:{controller.port}{query}"


def no_password_in(output):
    check(PASSWORD not in output and URL_PASSWORD not in output and "czNjcmV0" not in output,
          "the output never holds the password")


def delivered(work):
    sink = Sink()
    controller, cert = start_relay(sink, work)
    try:
        code, output, _ = send(work, url_of(controller), ca=cert, event=live_event())
        check(code == 0 and output.strip() == "sent", f"the relay accepted the message ({code})")
        check(len(sink.messages) == 1, "one message arrived")
        if not sink.messages:
            return
        m = sink.messages[0]
        check(m["tls"], "it came over TLS (STARTTLS)")
        check(sink.logins == [("PLAIN", True)] and m["login"] == USER,
              f"AUTH PLAIN with the URL's login ({sink.logins})")
        check(m["from"] == FROM and m["to"] == TO,
              f"the envelope: MAIL FROM and both RCPT TO ({m['from']}, {m['to']})")
        msg = parsed(m)
        check(msg["From"] == FROM and msg["To"] == ", ".join(TO),
              f"From and To headers ({msg['From']}; {msg['To']})")
        check(msg["Subject"] == ".Dot is live on Twitch", f"Subject ({msg['Subject']!r})")
        date = email.utils.parsedate_to_datetime(msg["Date"])
        check(date is not None and abs(time.time() - date.timestamp()) < 300,
              f"a Date header of now ({msg['Date']})")
        check(msg["Message-ID"].startswith("<") and msg["Message-ID"].endswith("@example.com>"),
              f"a Message-ID ({msg['Message-ID']})")
        check(msg.get_content_type() == "text/plain" and msg.get_content_charset() == "utf-8",
              "text/plain; charset=utf-8")
        body = text_of(m)
        check(body.startswith('.Dot is live on Twitch: Say "hi" <b>&</b> 🎮 now (Just Chatting), '
                              "45,210 viewers\n"),
              f"the body's first line, a dot first, on one line ({body.splitlines()[0]!r})")
        check("Watch: https://www.twitch.tv/dot\n" in body and "Viewers: 45,210\n" in body,
              "the link and the facts")
        raw = m["content"]
        check(b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""),
              "every line of the message ends in CRLF")

        # Dot-stuffing: lines of dots arrive as written.
        text = ".\n.hidden\n..two\nend with a dot.\n.\n"
        code, _, _ = send(work, url_of(controller), ca=cert, text=text, subject="Dots")
        check(code == 0 and len(sink.messages) == 2, "a body of dotted lines is accepted")
        if len(sink.messages) == 2:
            got = text_of(sink.messages[1])
            check(got == text, f"dotted lines arrive as written ({got!r})")
    finally:
        controller.stop()


def auth_login(work):
    sink = Sink()
    controller, cert = start_relay(sink, work, auth_exclude_mechanism=["PLAIN"])
    try:
        code, output, _ = send(work, url_of(controller), ca=cert, event=live_event())
        check(code == 0, f"sent with AUTH LOGIN ({code})")
        check(sink.logins == [("LOGIN", True)],
              f"AUTH LOGIN when PLAIN is not offered ({sink.logins})")
        check(len(sink.messages) == 1 and sink.messages[0]["tls"], "the message arrived over TLS")
    finally:
        controller.stop()


def implicit_tls(work):
    sink = Sink()
    # aiosmtpd offers AUTH over TLS it started itself only: here TLS came first.
    controller, cert = start_relay(sink, work, implicit=True, auth_require_tls=False)
    try:
        code, _, _ = send(work, url_of(controller, "smtps"), ca=cert, event=live_event())
        check(code == 0, f"smtps:// sent ({code})")
        check(len(sink.messages) == 1 and sink.messages[0]["tls"] and
              sink.logins == [("PLAIN", True)], "the message arrived over TLS from the first byte")
    finally:
        controller.stop()


def refused_recipient(work):
    sink = Sink(refuse={"nobody@example.com"},
                refuse_reply="550 5.1.1 <nobody@example.com>: no such user")
    controller, cert = start_relay(sink, work)
    try:
        code, output, _ = send(work, url_of(controller), ca=cert, event=live_event(),
                               to=["ops@example.com", "nobody@example.com"])
        check(code == 3, f"a refused recipient is a permanent failure (exit {code})")
        check("permanent code=550 step=RCPT TO <nobody@example.com>" in output,
              "it names the step, the recipient and the code")
        check("no such user" in output, "and the relay's text")
        check(not sink.messages, "nothing was sent")
        no_password_in(output)
    finally:
        controller.stop()


def temporary_failure(work):
    sink = Sink(data_reply="451 4.3.0 Please try again later")
    controller, cert = start_relay(sink, work)
    try:
        code, output, _ = send(work, url_of(controller), ca=cert, event=live_event())
        check(code == 4, f"a 4xx is a temporary failure (exit {code})")
        check("temporary code=451 step=end of data" in output and "try again later" in output,
              "it names the step, the code and the relay's text")
    finally:
        controller.stop()


def silent_server(work):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        code, output, seconds = send(work, f"smtp://127.0.0.1:{port}", event=live_event(),
                                     timeout_ms=1000)
        check(code == 4, f"a relay that never answers is a temporary failure (exit {code})")
        check("step=greeting" in output and "no answer within the deadline" in output,
              "it says which step timed out")
        check(seconds < 10, f"within the deadline, not the default ({seconds:.1f} s)")
    # Nothing listening at all: refused at once, temporary too.
    code, output, _ = send(work, f"smtp://127.0.0.1:{free_port()}", event=live_event(),
                           timeout_ms=1000)
    check(code == 4 and "step=connect" in output, f"a refused connection is temporary ({code})")


def plaintext_refused(work):
    sink = Sink()
    controller, _ = start_relay(sink, work, starttls=False, auth=True, auth_require_tls=False)
    try:
        code, output, _ = send(work, url_of(controller), event=live_event())
        check(code == 3, f"a relay without STARTTLS is refused (exit {code})")
        check("step=STARTTLS" in output and "does not offer STARTTLS" in output,
              "it says why")
        check(sink.logins == [] and sink.mail_commands == 0 and not sink.messages,
              "neither the login nor any mail went out in the clear")
        no_password_in(output)
    finally:
        controller.stop()
    # ?starttls=off: the URL asks for the clear, without credentials.
    sink = Sink()
    controller, _ = start_relay(sink, work, starttls=False, auth=False)
    try:
        code, _, _ = send(work, url_of(controller, credentials=False, query="?starttls=off"),
                          event=live_event())
        check(code == 0 and len(sink.messages) == 1 and not sink.messages[0]["tls"],
              f"?starttls=off sends in the clear when asked to ({code})")
    finally:
        controller.stop()


def wrong_password(work):
    global PASSWORD
    sink = Sink()
    controller, cert = start_relay(sink, work)
    try:
        expected, PASSWORD = PASSWORD, "another password"  # what the relay takes
        code, output, _ = send(work, url_of(controller), ca=cert, event=live_event())
        PASSWORD = expected
        check(code == 3, f"a refused login is a permanent failure (exit {code})")
        check("step=AUTH PLAIN" in output and "code=535" in output, "it names AUTH and 535")
        check(not sink.messages, "nothing was sent")
        no_password_in(output)
    finally:
        controller.stop()


def untrusted_certificate(work):
    sink = Sink()
    controller, _ = start_relay(sink, work)
    try:
        code, output, _ = send(work, url_of(controller), event=live_event())  # no CA file
        check(code == 3, f"an untrusted certificate is a permanent failure (exit {code})")
        check("step=TLS handshake" in output and "not trusted" in output, "it says why")
        check(sink.logins == [] and not sink.messages, "no login and no mail were sent")
    finally:
        controller.stop()


SCENARIOS = {f.__name__: f for f in (delivered, auth_login, implicit_tls, refused_recipient,
                                     temporary_failure, silent_server, plaintext_refused,
                                     wrong_password, untrusted_certificate)}

if __name__ == "__main__":
    run(f"smtp {SCENARIO}", SCENARIOS[SCENARIO], database=False)
