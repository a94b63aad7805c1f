#!/usr/bin/env python3
"""on-terminal.py COMMAND...: run COMMAND on a pseudo-terminal, answer y to
every "[y/N]" question it asks (as a reader at the terminal would), copy
what it shows to standard output (CR removed) and exit with its status."""
import os
import pty
import sys

pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
seen = b""
while True:
    try:
        data = os.read(fd, 4096)
    except OSError:  # EIO: the terminal's last user has gone
        break
    if not data:
        break
    sys.stdout.buffer.write(data.replace(b"\r", b""))
    sys.stdout.flush()
    seen = (seen + data)[-64:]
    if b"[y/N]" in seen:
        os.write(fd, b"y\n")
        seen = b""
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
