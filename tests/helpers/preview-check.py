#!/usr/bin/python3
"""Compare what a player decodes from credgrab's 8-bit preview (y4m8) with
what the exact 16-bit pipe stream of the same scene says it should show.

    preview-check.py EXACT.y4m DECODED.gray [FRAMES]

EXACT.y4m is credgrab -f y4m of the scene; DECODED.gray is ffmpeg's
decoding of credgrab -f y4m8 of the same scene (rawvideo, gray, 8-bit).
The expected picture stretches each exact frame linearly between its
0.5th and 99.5th percentiles (tag pixels left out, signed pixels as
signed) to 0-255. Both are taken without their tag pixels. Prints the
measures and exits non-zero when mean, contrast or clipping disagree."""
import sys

import numpy as np

TAG_PIXELS = {"cred3": 4, "credone": 3}


def read_exact(path):
    data = open(path, "rb").read()
    end = data.index(b"\n")
    tokens = data[:end].decode().split()[1:]
    width = int([t[1:] for t in tokens if t[0] == "W"][0])
    height = int([t[1:] for t in tokens if t[0] == "H"][0])
    signed = "XSIGNED=1" in tokens
    model = [t[7:] for t in tokens if t.startswith("XMODEL=")][0]
    frames, pos, size = [], end + 1, width * height * 2
    while pos < len(data):
        pos = data.index(b"\n", pos) + 1
        frames.append(np.frombuffer(data[pos:pos + size], dtype="<i2" if signed else "<u2"))
        pos += size
    return width, height, TAG_PIXELS.get(model, 0), signed, frames


def stretch(frame, skip):
    values = np.sort(frame[skip:].astype(np.int64))
    n = len(values)
    lo = values[int(0.005 * n)]
    hi = values[max(int(0.995 * n) - 1, 0)]
    hi = max(hi, lo + 1)
    x = (frame.astype(np.float64) - lo) * (255.0 / (hi - lo))
    return np.where(x <= 0, 0, np.where(x >= 255, 255, np.floor(x + 0.5))), lo, hi


def measures(frames, skip):
    pix = np.concatenate([f[skip:] for f in frames]).astype(np.float64)
    return pix.mean(), pix.std(), (pix == 0).mean(), (pix == 255).mean()


def main():
    width, height, skip, signed, exact = read_exact(sys.argv[1])
    gray = np.fromfile(sys.argv[2], dtype=np.uint8)
    want = int(sys.argv[3]) if len(sys.argv) > 3 else None
    n = width * height
    decoded = [gray[k * n:(k + 1) * n] for k in range(len(gray) // n)]
    expected = [stretch(f, skip)[0] for f in exact]
    lims = [stretch(f, skip)[1:] for f in exact]
    got, exp = measures(decoded, skip), measures(expected, skip)
    print("frames: %d decoded, %d exact; %s pixels, stretch %d..%d" % (
        len(decoded), len(exact), "signed" if signed else "unsigned", lims[0][0], lims[0][1]))
    print("decoded  mean %.1f sd %.1f black %.2f%% white %.2f%%" % (
        got[0], got[1], 100 * got[2], 100 * got[3]))
    print("expected mean %.1f sd %.1f black %.2f%% white %.2f%%" % (
        exp[0], exp[1], 100 * exp[2], 100 * exp[3]))
    bad = []
    if want is not None and len(decoded) != want:
        bad.append("%d frames decoded, not %d" % (len(decoded), want))
    if len(gray) % n:
        bad.append("a partial frame decoded")
    if abs(got[0] - exp[0]) > 6:
        bad.append("mean %.1f, expected %.1f" % (got[0], exp[0]))
    if abs(got[1] - exp[1]) > 0.15 * exp[1]:
        bad.append("contrast (sd) %.1f, expected %.1f" % (got[1], exp[1]))
    if got[1] < 20:
        bad.append("no contrast (sd %.1f)" % got[1])
    # the percentiles clip about 0.5% of the pixels at either end
    for name, g in (("black", got[2]), ("white", got[3])):
        if not 0.0005 <= g <= 0.03:
            bad.append("%.2f%% of the pixels %s" % (100 * g, name))
    if bad:
        sys.exit("preview-check: " + "; ".join(bad))


if __name__ == "__main__":
    main()
