"""planverksted serve | create | export | import | purge | plans."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import socket
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _

from workshop import create_app, export
from workshop.config import Settings
from workshop.extensions import dispose_app, socketio_of
from workshop.qr import join_url, public_base_url, reachable_from_phones
from workshop.schemas import parse_data
from workshop.schemas.requests import CreateWorkshop
from workshop.services import archiving, browser_keys, deletion, workshops
from workshop.services.access import find_workshop
from workshop.services.errors import NotFound, ServiceError
from workshop.services.unit import read_only
from workshop.session_plans import PlanError, list_plans


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except (ServiceError, PlanError) as exc:
        message = exc.message if isinstance(exc, ServiceError) else exc
        print(f"Feil: {message}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="planverksted", description="Planverksted")
    commands = parser.add_subparsers(dest="command")

    serve = commands.add_parser("serve", help="start the server")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(handler=serve_command)

    create = commands.add_parser("create", help="create a workshop")
    create.add_argument("title")
    create.add_argument("--plan", default="plan-simplification")
    create.add_argument("--language", choices=["nb", "nn", "en"])
    create.set_defaults(handler=create_command)

    exporter = commands.add_parser("export", help="export a workshop's results")
    exporter.add_argument("code")
    exporter.add_argument("--format", choices=sorted(export.FORMATS), default="xlsx")
    exporter.add_argument(
        "--dialect",
        choices=["excel", "rfc4180"],
        default="excel",
        help="csv and zip: excel (; and decimal comma) or rfc4180 (, and .)",
    )
    exporter.add_argument(
        "--names", action="store_true", help="put the participants' names in the export"
    )
    exporter.add_argument(
        "--language", choices=["nb", "nn", "en"], default="nb", help="language of the messages"
    )
    exporter.add_argument("-o", "--output", help="file to write (default: the standard name)")
    exporter.set_defaults(handler=export_command)

    importer = commands.add_parser("import", help="restore a JSON archive as a new workshop")
    importer.add_argument("file", type=Path)
    importer.set_defaults(handler=import_command)

    purger = commands.add_parser(
        "purge", help="delete the workshops whose deletion date is due, and expired kept keys"
    )
    purger.add_argument("--language", choices=["nb", "nn", "en"], default="nb")
    purger.set_defaults(handler=purge_command)

    plans = commands.add_parser("plans", help="list the session plans")
    plans.set_defaults(handler=plans_command)
    return parser


def _settings(args: argparse.Namespace, **defaults: object) -> Settings:
    overrides = {k: v for k in ("host", "port") if (v := getattr(args, k, None)) is not None}
    return Settings.from_env(**defaults, **overrides)


def serve_command(args: argparse.Namespace) -> int:
    """Start the server and print where to begin."""
    mode = os.environ.get("WORKSHOP_ASYNC_MODE") or "gevent"
    settings = _settings(args, async_mode=mode)
    # No access log: addresses of participants are personal data and are never written down.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app = create_app(settings)
    local = f"http://{'127.0.0.1' if settings.host in ('0.0.0.0', '::') else settings.host}"
    local += f":{settings.port}"
    base = public_base_url(settings, local)
    print(f"Planverksted kjører ({settings.async_mode}).", flush=True)
    print(f"  Start et verksted (fasilitator): {local}/start?key={settings.admin_key}")
    print(f"  Deltakere blir med på:           {base}/")
    print(f"  Data lagres i:                   {settings.data_dir}")
    print(f"  Database:                        {_redact(settings.database_url)}")
    if not reachable_from_phones(settings, base):
        print("  Merk: serveren lytter bare på denne maskinen. For telefoner i salen:")
        print("        WORKSHOP_HOST=0.0.0.0 make run")
    print("Stopp med Ctrl+C.", flush=True)
    if settings.async_mode == "gevent":
        _serve_gevent(app, settings)
    else:
        socketio_of(app).run(
            app,
            host=settings.host,
            port=settings.port,
            allow_unsafe_werkzeug=True,
            log_output=False,
        )
    return 0


class AddressFreeLog:
    """stderr for the server's error log, with client addresses removed (they are personal data)."""

    ADDRESS = re.compile(r"\(from \(.*?\)\)|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]")

    def write(self, text: str) -> None:
        """Write one message without addresses."""
        sys.stderr.write(self.ADDRESS.sub("(address removed)", text))

    def writelines(self, lines: Iterable[str]) -> None:
        """Write several messages."""
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        """Flush stderr."""
        sys.stderr.flush()


def _serve_gevent(app: Flask, settings: Settings) -> None:
    """gevent's WSGI server: no access log, Nagle's algorithm off (docs/benchmarks.md)."""
    import signal

    import gevent
    import gevent.socket
    from gevent import pywsgi

    class NoDelayHandler(pywsgi.WSGIHandler):
        # The server creates each handler as handler_class(sock, address, server).
        def __init__(
            self, sock: gevent.socket.socket, address: str, server: pywsgi.WSGIServer
        ) -> None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().__init__(sock, address, server)

    server = pywsgi.WSGIServer(
        (settings.host, settings.port),
        app,
        log=None,
        error_log=AddressFreeLog(),
        handler_class=NoDelayHandler,
    )
    gevent.signal_handler(signal.SIGTERM, server.stop)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


@contextlib.contextmanager
def _app_context(settings: Settings) -> Iterator[Flask]:
    """An app for one command, inside its context; its loops and connections end with it."""
    app = create_app(settings)
    try:
        with app.app_context():
            yield app
    finally:
        dispose_app(app)


def create_command(args: argparse.Namespace) -> int:
    """Create a workshop and print its links."""
    settings = _settings(args)
    with _app_context(settings):
        wanted = parse_data(
            CreateWorkshop, {"title": args.title, "plan": args.plan, "language": args.language}
        )
        created = workshops.create_workshop(
            wanted.title, wanted.plan or "plan-simplification", wanted.language
        )
    base = public_base_url(settings, f"http://127.0.0.1:{settings.port}")
    print(f"Kode:          {created.code}")
    print(f"Bli med:       {join_url(base, created.code)}")
    print(f"Fasilitator:   {base}/f/{created.code}?key={created.facilitator_key}")
    print(f"Projektor:     {base}/p/{created.code}?key={created.projector_key}")
    return 0


def export_command(args: argparse.Namespace) -> int:
    """Write a workshop's export to a file, as the facilitator would download it."""
    options = export.ExportOptions(dialect=args.dialect, names=args.names)
    with _app_context(_settings(args)), force_locale(args.language):
        try:
            with read_only() as session:
                workshop = find_workshop(session, args.code)
                exported = export.render(session, workshop, args.format, options)
        except NotFound:
            print(
                _("Feil: fant ikke noe verksted med koden %(code)s.", code=repr(args.code)),
                file=sys.stderr,
            )
            return 1
        path = Path(args.output or exported.filename)
        path.write_bytes(exported.content)
        print(_("Skrev %(path)s (%(size)d byte)", path=path, size=len(exported.content)))
    return 0


def import_command(args: argparse.Namespace) -> int:
    """Restore an archive (export.json) as a new workshop and print its links."""
    settings = _settings(args)
    try:
        content = args.file.read_bytes()
    except OSError as exc:
        raise NotFound(f"Kan ikke lese {args.file}: {exc.strerror}") from exc
    with _app_context(settings):
        created = archiving.import_archive_file(content)
    base = public_base_url(settings, f"http://127.0.0.1:{settings.port}")
    print(f"Kode:          {created.code}")
    print(f"Bli med:       {join_url(base, created.code)}")
    print(f"Fasilitator:   {base}/f/{created.code}?key={created.facilitator_key}")
    print(f"Projektor:     {base}/p/{created.code}?key={created.projector_key}")
    return 0


def purge_command(args: argparse.Namespace) -> int:
    """Delete every workshop whose deletion date has come; say what was deleted (for cron)."""
    with _app_context(_settings(args)), force_locale(args.language):
        deleted = deletion.purge()
        browser_keys.forget_expired()
        for gone in deleted:
            print(
                _(
                    "Slettet verkstedet %(code)s: %(participants)d deltakere, %(proposals)d "
                    "forslag og alle svarene deres.",
                    code=gone.code,
                    participants=gone.counts.get("participants", 0),
                    proposals=gone.counts.get("proposals", 0),
                )
            )
        if not deleted:
            print(_("Ingen verksteder skulle slettes i dag."))
    return 0


def plans_command(args: argparse.Namespace) -> int:
    """List the session plans a workshop can start from."""
    for plan in list_plans():
        kinds = " → ".join(step.kind for step in plan.steps)
        saved = " [lagret]" if plan.saved else ""
        print(f"{plan.name}{saved}: {plan.title} ({kinds})")
    return 0
