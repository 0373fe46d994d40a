"""Seal the audit entries written since the last seal, and export a signed checkpoint (workflow_tick also does)."""

import json

from django.core.management.base import BaseCommand, CommandError

from audit.checkpoints import CheckpointConflict
from audit.services import SealRefused, seal


class Command(BaseCommand):
    help = "Give the committed audit entries their places in the chain, sign a checkpoint and export it to AUDIT_CHECKPOINT_DIR."

    def handle(self, *args, **options):
        try:
            report = seal()
        except SealRefused as exc:
            raise CommandError(f"Not sealed: {exc}") from None
        except (CheckpointConflict, OSError) as exc:  # sealed in the database, but the checkpoint is not exported
            raise CommandError(f"Sealed, but the checkpoint was not exported: {exc}") from None
        self.stdout.write(
            json.dumps(
                {
                    "sealed": report.sealed,
                    "tree_size": report.tree_size,
                    "checkpoint": report.checkpoint,
                    "seconds": round(report.seconds, 3),
                }
            )
        )
