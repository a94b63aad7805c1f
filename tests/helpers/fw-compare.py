#!/usr/bin/env python3
"""fw-compare.py GOT SENT N_SENT: every frame of GOT (raw C-RED One frames
with tags) equals image (counter % 32) of the test pattern made from the
N_SENT frames of SENT (repeated in order), tag pixels 0-2 aside. Prints the
number of frames checked; exits 1 at the first difference."""
import struct
import sys

W, H = 320, 256
N = W * H
got = open(sys.argv[1], "rb").read()
sent = open(sys.argv[2], "rb").read()
nsent = int(sys.argv[3])
frames = len(got) // (2 * N)
if frames == 0 or len(got) % (2 * N):
    sys.exit("no whole frames in %s" % sys.argv[1])
for i in range(frames):
    f = struct.unpack("<%dH" % N, got[i * 2 * N:(i + 1) * 2 * N])
    image = (f[0] | f[1] << 16) % 32
    k = image % nsent
    ref = struct.unpack("<%dH" % N, sent[k * 2 * N:(k + 1) * 2 * N])
    if f[3:] != ref[3:]:
        sys.exit("frame %d (image %02d) differs from sent frame %d" % (i, image, k))
print(frames)
