"""A real SMTP server for the tests that send mail (aiosmtpd on a free local port): the test
reads the messages as they were delivered, through Django's SMTP backend — never a mock, never
the in-memory backend. The fixtures `mail_server` and `no_mail_server` are in conftest.py."""

import socket
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage


@dataclass
class ReceivedMail:
    """One message as the SMTP server received it."""

    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        # Folding may put the encoded words on a continuation line: a reader sees no space.
        return str(self.message["Subject"]).strip()

    @property
    def body(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()


class Inbox:
    """aiosmtpd handler: keeps every message delivered to it."""

    def __init__(self):
        self.messages: list[ReceivedMail] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            ReceivedMail(
                sender=envelope.mail_from,
                recipients=list(envelope.rcpt_tos),
                message=message_from_bytes(envelope.original_content, policy=policy.default),
            )
        )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[ReceivedMail]:
        return [m for m in self.messages if address in m.recipients]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server():
    """An SMTP server listening on 127.0.0.1 for the time of the block; yields (inbox, port)."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()
