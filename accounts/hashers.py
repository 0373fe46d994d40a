"""How passwords are stored: Argon2id at the cost OWASP recommends, so that a sign-in is cheap for the server.

Django's default Argon2 (100 MiB, 8 lanes) costs a quarter of a CPU second and 100 MB of memory per password check:
under a morning's sign-ins (the 500-user soak) that was a fifth of all the server's CPU, 600 MB peaks per worker,
and a way for anyone to exhaust memory by posting passwords. OWASP's Password Storage Cheat Sheet gives 19 MiB,
two passes and one lane as a recommended Argon2id configuration: about ten times cheaper, still memory-hard.
Hashes made with other parameters still verify and are upgraded to these at the next sign-in.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id with m=19 MiB, t=2, p=1 (OWASP); same algorithm name, so existing hashes keep working."""

    memory_cost = 19_456
    time_cost = 2
    parallelism = 1
