#!/usr/bin/python3
"""Compare what a player decodes from credgrab's 8-bit preview (y4m8) with
what the exact 16-bit pipe stream of the same scene says it should show.

    preview-check.py DECODED.gray WIDTH HEIGHT FRAMES [EXACT.y4m]

DECODED.gray is ffmpeg's decoding of credgrab -f y4m8 (rawvideo, gray,
8-bit): FRAMES frames of WIDTH x HEIGHT with contrast and about 0.5% of
the pixels clipped at either end. With EXACT.y4m, credgrab -f y4m of the
same frames, every pixel must be within one gray level of the picture
credgrab(1) describes: each exact frame stretched linearly to 0-255
between limits that follow its 0.5th and 99.5th percentiles (tag pixels
left out, signed pixels as signed; from every (1 + pixels/100000)th
pixel): set by the first frame, then moved
1/N of the way to each frame's own, N the frames in half a second at the
header's rate (10 when unknown), and set again by a frame whose range does
not overlap them. Tag pixels are left out. Prints the measures and exits
non-zero on a difference."""
import sys

import numpy as np

TAG_PIXELS = {"cred3": 4, "credone": 3}


def lround(x):
    """C's lround: halves away from zero."""
    return int(np.sign(x) * np.floor(abs(x) + 0.5))


def read_exact(path):
    data = open(path, "rb").read()
    end = data.index(b"\n")
    tokens = data[:end].decode().split()[1:]
    width = int([t[1:] for t in tokens if t[0] == "W"][0])
    height = int([t[1:] for t in tokens if t[0] == "H"][0])
    signed = "XSIGNED=1" in tokens
    model = [t[7:] for t in tokens if t.startswith("XMODEL=")][0]
    num, den = [int(x) for x in [t[1:] for t in tokens if t[0] == "F"][0].split(":")]
    frames_smoothed = round(num / den * 0.5) if den and num else 10
    frames, pos, size = [], end + 1, width * height * 2
    while pos < len(data):
        pos = data.index(b"\n", pos) + 1
        frames.append(np.frombuffer(data[pos:pos + size], dtype="<i2" if signed else "<u2"))
        pos += size
    return width, height, TAG_PIXELS.get(model, 0), signed, frames, max(frames_smoothed, 1)


def percentiles(frame, skip):
    # from every (1 + pixels/100000)th pixel after the tags
    values = np.sort(frame[skip::1 + len(frame) // 100000].astype(np.int64))
    n = len(values)
    return values[int(0.005 * n)], values[max(int(0.995 * n) - 1, 0)]


def stretch(frame, lo, hi):
    hi = max(hi, lo + 1)
    x = (frame.astype(np.float64) - lo) * (255.0 / (hi - lo))
    return np.where(x <= 0, 0, np.where(x >= 255, 255, np.floor(x + 0.5)))


def expected_pictures(frames, skip, n_smooth):
    out, lims, lo, hi = [], [], None, None
    for f in frames:
        flo, fhi = percentiles(f, skip)
        if lo is None or flo > hi or fhi < lo:
            lo, hi = float(flo), float(fhi)
        else:
            lo += (flo - lo) / n_smooth
            hi += (fhi - hi) / n_smooth
        lims.append((lround(lo), lround(hi)))
        out.append(stretch(f, *lims[-1]))
    return out, lims


def measures(frames, skip):
    pix = np.concatenate([f[skip:] for f in frames]).astype(np.float64)
    return pix.mean(), pix.std(), (pix == 0).mean(), (pix == 255).mean()


def sane(decoded, skip):
    """What any stretched picture shows: contrast, and about 0.5% of the
    pixels clipped at either end."""
    m = measures(decoded, skip)
    print("decoded  mean %.1f sd %.1f black %.2f%% white %.2f%%" % (m[0], m[1], 100 * m[2], 100 * m[3]))
    bad = []
    if not 40 < m[0] < 215 or m[1] < 20:
        bad.append("mean %.1f, sd %.1f: not a stretched picture" % (m[0], m[1]))
    for name, g in (("black", m[2]), ("white", m[3])):
        if not 0.0005 <= g <= 0.03:
            bad.append("%.2f%% of the pixels %s" % (100 * g, name))
    return bad


def main():
    args = sys.argv[1:]
    decoded_path, width, height, want = args[0], int(args[1]), int(args[2]), int(args[3])
    gray = np.fromfile(decoded_path, dtype=np.uint8)
    n = width * height
    decoded = [gray[k * n:(k + 1) * n] for k in range(len(gray) // n)]
    bad = []
    if len(decoded) != want or len(gray) % n:
        bad.append("%d bytes decoded, not %d frames of %d" % (len(gray), want, n))
    if len(args) == 4:
        bad += sane(decoded, 0)
    else:
        w, h, skip, signed, exact, n_smooth = read_exact(args[4])
        expected, lims = expected_pictures(exact, skip, n_smooth)
        print("%d frames, %s pixels, stretch %d..%d to %d..%d (N %d)" % (
            len(exact), "signed" if signed else "unsigned", lims[0][0], lims[0][1],
            lims[-1][0], lims[-1][1], n_smooth))
        got, exp = measures(decoded, skip), measures(expected, skip)
        print("expected mean %.1f sd %.1f black %.2f%% white %.2f%%" % (
            exp[0], exp[1], 100 * exp[2], 100 * exp[3]))
        bad += sane(decoded, skip)
        if (w, h) != (width, height) or len(exact) != want:
            bad.append("the exact stream is not %d frames of %dx%d" % (want, width, height))
        elif not bad:
            diff = max(int(np.abs(d[skip:].astype(int) - e[skip:]).max())
                       for d, e in zip(decoded, expected))
            print("largest difference from the expected picture: %d gray levels" % diff)
            if diff > 1:
                bad.append("pixels differ from the expected picture by up to %d" % diff)
    if bad:
        sys.exit("preview-check: " + "; ".join(bad))


if __name__ == "__main__":
    main()
