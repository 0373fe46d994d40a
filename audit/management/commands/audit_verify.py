"""Exit 0 when the audit trail is intact; otherwise name what was found and the first bad entry, and exit 1."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit import checkpoints, keys
from audit.services import SealRefused, checkpoint_dir, seal, verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit trail with its keys: every entry's HMAC, the chain of seals, and the Merkle roots against the "
        "signed checkpoints exported outside the database. Seals what is waiting first, unless --no-seal."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the result as one JSON line.")
        parser.add_argument("--no-seal", action="store_true", help="Only read (e.g. an auditor with read access to a copy).")
        parser.add_argument("--checkpoints", type=Path, help="The folder of exported checkpoints (default: AUDIT_CHECKPOINT_DIR).")
        parser.add_argument(
            "--hmac-key-file",
            action="append",
            type=Path,
            default=[],
            help="A file of HMAC keys, one a line (current and retired); repeatable. Default: AUDIT_HMAC_KEY and AUDIT_HMAC_KEYS.",
        )
        parser.add_argument(
            "--public-key",
            action="append",
            default=[],
            help="An Ed25519 public key that signed checkpoints (base64, or a PEM file); repeatable. Added to the configured ones.",
        )

    def handle(self, *args, **options):
        refused = ""
        if not options["no_seal"]:
            try:
                seal()
            except (SealRefused, checkpoints.CheckpointConflict) as exc:
                refused = str(exc)  # the verification below says what is wrong
            except OSError as exc:
                refused = f"the checkpoint could not be exported ({exc})"
        hmac_keys = None
        if options["hmac_key_file"]:
            texts = [line for path in options["hmac_key_file"] for line in path.read_text().splitlines() if line.strip()]
            hmac_keys = {key.id: key for key in map(keys.hmac_key, texts)}
        verify_keys = keys.verify_keys(tuple(options["public_key"]))
        report = verify_chain(checkpoint_directory=options["checkpoints"], hmac_keys=hmac_keys, verify_keys=verify_keys)
        if options["json"]:
            fields = ("ok", "checked", "sealed", "pending", "anchored", "checkpoints", "first_bad_seq", "problem", "problems")
            self.stdout.write(json.dumps({name: getattr(report, name) for name in fields} | {"seal_refused": refused}))
        if not report.ok:
            where = f" The first bad entry is #{report.first_bad_seq}." if report.first_bad_seq else ""
            raise CommandError(f"Audit trail broken: {report.problem}.{where} ({report.checked} entries checked.)")
        if refused:  # every entry checks, yet the sealer will not go on: its checkpoints in the database are gone
            raise CommandError(f"Audit trail not sealed: {refused}. ({report.checked} entries checked, each one intact.)")
        if not options["json"]:
            anchored = (
                f"{report.anchored} covered by the checkpoint exported to {options['checkpoints'] or checkpoint_dir_hint()}"
                if report.anchored
                else "none covered by an exported checkpoint yet"
            )
            waiting = ""
            if report.pending:
                waiting = (
                    " The entries awaiting the seal are checked by their MAC only; seal them with manage.py audit_seal."
                    if options["no_seal"]
                    else " The entries awaiting the seal were written by transactions still open when it sealed."
                )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Audit chain intact: {report.checked} entries ({report.sealed} sealed, {report.pending} awaiting the next seal; "
                    f"{anchored}).{waiting}"
                )
            )


def checkpoint_dir_hint() -> Path:
    from audit.models import AuditCheckpoint

    latest = AuditCheckpoint.objects.order_by("-tree_size").first()
    return checkpoint_dir(latest.origin if latest else "")
