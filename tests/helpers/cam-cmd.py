#!/usr/bin/env python3
"""Send commands to the simulated camera of `credsim -- ...` (its TCP
endpoint is in CRED_SIM_TCP) and fail unless each one answers without an
error: a way to set the camera up before running a tool against it."""
import os
import socket
import sys


def main():
    host, port = os.environ["CRED_SIM_TCP"].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=30) as s:
        for cmd in sys.argv[1:]:
            s.sendall(cmd.encode() + b"\n")
            answer = b""
            while not answer.endswith(b"fli-cli>"):
                chunk = s.recv(4096)
                if not chunk:
                    sys.exit("cam-cmd: the camera hung up")
                answer += chunk
            text = answer.decode(errors="replace")
            if "rror" in text or "fail" in text:
                sys.exit("cam-cmd: %r -> %r" % (cmd, text))


if __name__ == "__main__":
    main()
