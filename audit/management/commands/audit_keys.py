"""Show the audit trail's key ids and public key, or print fresh keys for a rotation."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand

from audit import keys


class Command(BaseCommand):
    help = "Print the ids of the audit HMAC keys and the checkpoints' public key; with --generate, fresh values to rotate to."

    def add_arguments(self, parser):
        parser.add_argument("--generate", action="store_true", help="Print new AUDIT_HMAC_KEY and AUDIT_SIGNING_KEY values.")

    def handle(self, *args, **options):
        if options["generate"]:
            self.stdout.write(json.dumps(keys.generate()))
            return
        current = keys.current_hmac_key()
        signer = keys.verify_keys()[0]
        self.stdout.write(
            json.dumps(
                {
                    "hmac_key_id": current.id,
                    "retired_hmac_key_ids": [key_id for key_id in keys.hmac_keys() if key_id != current.id],
                    "public_key": signer.text,
                    "key_name": signer.name,
                    "checkpoint_dir": settings.AUDIT_CHECKPOINT_DIR or "(var/audit-checkpoints/<trail id>)",
                }
            )
        )
