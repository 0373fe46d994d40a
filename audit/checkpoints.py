"""Signed checkpoints (tree heads) of the audit trail, as C2SP signed notes, exported to a directory outside the database.

A checkpoint file reads, as the transparency logs' checkpoints do (C2SP tlog-checkpoint, Go's sumdb):

    openpol/audit/3f2a9c0d41b7e655          origin: the log, and this trail's id
    1024                                    tree size: the seals it covers
    q5JbT0gv...=                            base64 of the RFC 9162 Merkle root over them
    time 2026-11-23T16:21:00.123456Z        when it was signed
                                            (blank line)
    — openpol/audit <base64 of key hash and Ed25519 signature>
"""

import base64
import binascii
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from audit import keys

SUFFIX = ".checkpoint"
DASH = "\u2014"


class BadCheckpoint(ValueError):
    """A checkpoint that does not parse or whose signature no known key makes."""


class CheckpointConflict(RuntimeError):
    """Another checkpoint of the same size is already exported: two histories of one trail."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    tree_size: int
    root: bytes
    at: datetime
    note: str


def sign(origin: str, tree_size: int, root: bytes, at: datetime) -> str:
    """The signed note for a tree head, signed with AUDIT_SIGNING_KEY."""
    stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    body = f"{origin}\n{tree_size}\n{base64.b64encode(root).decode()}\ntime {stamp}\n"
    private = keys.signing_key()
    signer = keys.verify_key(private.public_key())
    signature = base64.b64encode(signer.hash + private.sign(body.encode())).decode()
    return f"{body}\n{DASH} {signer.name} {signature}\n"


def parse(note: str, verify_keys: list[keys.VerifyKey]) -> Checkpoint:
    """Read a signed note, refusing it unless one of `verify_keys` signed exactly this text."""
    body, blank, signatures = note.partition("\n\n")
    if not blank or not signatures.endswith("\n"):
        raise BadCheckpoint("it is not a signed note")
    body += "\n"
    verified = False
    for line in signatures.splitlines():
        name, _, encoded = line.removeprefix(f"{DASH} ").rpartition(" ")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise BadCheckpoint("its signature line is garbled") from None
        for key in verify_keys:
            if key.name == name and key.hash == raw[:4]:
                try:
                    key.public.verify(raw[4:], body.encode())
                    verified = True
                except Exception:  # noqa: BLE001 - cryptography's InvalidSignature, and a signature of the wrong length
                    raise BadCheckpoint("its signature does not match its text (forged or altered)") from None
    if not verified:
        raise BadCheckpoint("it is not signed by a known key (forged, or signed with a key not given to the verifier)")
    lines = body.splitlines()
    try:
        origin, size, root = lines[0], int(lines[1]), base64.b64decode(lines[2], validate=True)
        at = next(datetime.fromisoformat(line[5:]) for line in lines[3:] if line.startswith("time "))
    except (IndexError, ValueError, StopIteration, binascii.Error):
        raise BadCheckpoint("its text is not a checkpoint") from None
    if len(root) != 32 or size < 0:
        raise BadCheckpoint("its text is not a checkpoint")
    return Checkpoint(origin, size, root, at, note)


def path_for(directory: Path, tree_size: int) -> Path:
    return directory / f"{tree_size:012d}{SUFFIX}"


def export(note: str, tree_size: int, directory: Path) -> Path:
    """Write the note once, atomically; an existing file is kept, and a different one of the same size is an alarm."""
    directory.mkdir(parents=True, exist_ok=True)
    path = path_for(directory, tree_size)
    if not path.exists():
        scratch = directory / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}"
        with open(scratch, "w", encoding="utf-8") as file:
            file.write(note)
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(scratch, path)  # never replaces: an exported checkpoint is evidence
        except FileExistsError:
            pass
        finally:
            scratch.unlink()
    if path.read_text(encoding="utf-8") != note:
        raise CheckpointConflict(f"{path} already holds another checkpoint of {tree_size} entries")
    return path


def exported(directory: Path) -> list[tuple[Path, str]]:
    """Every checkpoint file in the directory, by name (which is by tree size)."""
    if not directory.is_dir():
        return []
    return [(path, path.read_text(encoding="utf-8", errors="replace")) for path in sorted(directory.glob(f"*{SUFFIX}"))]


def newest_first(directory: Path) -> list[Path]:
    """The checkpoint files in the directory, the largest tree first, unread."""
    if not directory.is_dir():
        return []
    return sorted(directory.glob(f"*{SUFFIX}"), reverse=True)
