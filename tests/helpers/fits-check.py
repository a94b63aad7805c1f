#!/usr/bin/python3
"""Check a FITS file credgrab wrote, with astropy (a reader we did not
write).

    fits-check.py FILE [CHECK]...

CHECK is one of
    KEY=TYPE:VALUE   the primary header has KEY of that type (int, float,
                     str, bool) and value (floats to 1e-9 relative)
    KEY=TYPE         KEY is there with that type, any value
    -KEY             KEY is not there
    frames=N         a cube of N frames with a FRAMES table of N rows whose
                     FRAME column is 0..N-1, COUNTER strictly increasing and
                     equal to the tag counter in each frame's pixels 0-1,
                     TIME strictly increasing, DATE-OBS and DATE-END the
                     first and last TIME
    signed / unsigned  the pixel format: int16 without BZERO, or uint16
                     through BZERO 32768 and BSCALE 1
The header must pass astropy's verification. Prints what it checked."""
import sys
import warnings
from datetime import datetime, timezone

import numpy as np
from astropy.io import fits

TYPES = {"int": int, "float": float, "str": str, "bool": bool}


def utc(text):
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp()


def check_key(hdr, spec):
    key, _, want = spec.partition("=")
    kind, _, value = want.partition(":")
    if key not in hdr:
        return "%s missing" % key
    got = hdr[key]
    if type(got) is not TYPES[kind]:
        return "%s is %s %r, not %s" % (key, type(got).__name__, got, kind)
    if not value:
        return None
    if kind == "float":
        ok = abs(got - float(value)) <= 1e-9 * max(1.0, abs(float(value)))
    elif kind == "bool":
        ok = got == (value == "T")
    else:
        ok = got == TYPES[kind](value)
    return None if ok else "%s = %r, not %s" % (key, got, value)


def check_frames(hdul, n, signed):
    hdr, data, table = hdul[0].header, hdul[0].data, hdul["FRAMES"].data
    bad = []
    if data.shape[0] != n or len(table) != n:
        return ["%d frames and %d rows, not %d" % (data.shape[0], len(table), n)]
    if not np.array_equal(table["FRAME"], np.arange(n)):
        bad.append("FRAME is not 0..%d" % (n - 1))
    flat = data.reshape(n, -1).astype(np.int64) & 0xffff
    tags = flat[:, 0] | flat[:, 1] << 16
    if not np.array_equal(tags, table["COUNTER"]):
        bad.append("COUNTER differs from the frames' tags")
    if not np.all(np.diff(table["COUNTER"]) > 0):
        bad.append("COUNTER not strictly increasing")
    t = table["TIME"]
    steps = np.diff(t)
    print("TIME steps: min %.3f ms, median %.3f ms, max %.3f ms" % (
        1e3 * steps.min(), 1e3 * np.median(steps), 1e3 * steps.max()))
    if not np.all(steps > 0):
        bad.append("TIME not strictly increasing (%d equal or decreasing steps)" % np.sum(steps <= 0))
    for key, when in (("DATE-OBS", t[0]), ("DATE-END", t[-1])):
        if abs(utc(hdr[key]) - when) > 2e-6:
            bad.append("%s %s is not TIME %.6f" % (key, hdr[key], when))
    return bad


def main():
    path, checks = sys.argv[1], sys.argv[2:]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hdul = fits.open(path)
        hdul.verify("exception")
    hdr = hdul[0].header
    bad = []
    signed = "signed" in checks
    for c in checks:
        if c in ("signed", "unsigned"):
            raw = fits.getheader(path, do_not_scale_image_data=True)
            data = hdul[0].data
            if signed and ("BZERO" in raw or data.dtype != np.dtype(">i2")):
                bad.append("signed pixels: BZERO %r, dtype %s" % (raw.get("BZERO"), data.dtype))
            if not signed and (raw.get("BZERO") != 32768 or raw.get("BSCALE") != 1
                               or data.dtype != np.dtype("uint16")):
                bad.append("unsigned pixels: BZERO %r BSCALE %r, dtype %s" % (
                    raw.get("BZERO"), raw.get("BSCALE"), data.dtype))
        elif c.startswith("frames="):
            bad += check_frames(hdul, int(c[7:]), signed)
        elif c.startswith("-"):
            if c[1:] in hdr:
                bad.append("%s = %r should not be there" % (c[1:], hdr[c[1:]]))
        else:
            err = check_key(hdr, c)
            if err:
                bad.append(err)
    print("%s: %d checks" % (path, len(checks)))
    if bad:
        sys.exit("fits-check: " + "; ".join(bad))


if __name__ == "__main__":
    main()
