#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz/fuzz_npy and fuzz_idx: small valid files of every
supported layout (npy/: each dtype, format 1.0 and 2.0, empty and 0-d arrays, a NaN and an
infinity; idx/: images and labels, plain and gzip). Pure standard library, byte-for-byte
reproducible (gzip with mtime 0). Run from anywhere: python3 tests/fuzz/corpus/make_seeds.py"""
import gzip
import math
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def npy(descr, shape, values, fmt, major=1):
    """An .npy file as numpy writes it: the header padded to a multiple of 64 bytes."""
    dims = ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "")
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (descr, dims)
    length_bytes = 2 if major == 1 else 4
    unpadded = 8 + length_bytes + len(header) + 1
    header += " " * ((64 - unpadded % 64) % 64) + "\n"
    length = struct.pack("<H" if major == 1 else "<I", len(header))
    data = b"".join(struct.pack(fmt, v) for v in values)
    return b"\x93NUMPY" + bytes([major, 0]) + length + header.encode("latin1") + data


def idx(dims, data):
    """An IDX file of unsigned bytes: 0, 0, 0x08, the rank, big-endian dimensions, the data."""
    return bytes([0, 0, 0x08, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + bytes(data)


def write(folder, name, content):
    os.makedirs(os.path.join(HERE, folder), exist_ok=True)
    with open(os.path.join(HERE, folder, name), "wb") as f:
        f.write(content)


def main():
    write("npy", "f8_2x3.npy", npy("<f8", (2, 3), [0.5, -1.0, 2.0, 3.0, 4.25, -0.0], "<d"))
    write("npy", "f4_3_v2.npy", npy("<f4", (3,), [0.25, -8.0, 1e30], "<f", major=2))
    write("npy", "i4_2x2.npy", npy("<i4", (2, 2), [-7, 0, 5, 2147483647], "<i"))
    write("npy", "i8_1x2_v2.npy", npy("<i8", (1, 2), [-3, 4], "<q", major=2))
    write("npy", "u1_3.npy", npy("|u1", (3,), [0, 128, 255], "<B"))
    write("npy", "empty_0x3.npy", npy("<f8", (0, 3), [], "<d"))
    write("npy", "scalar.npy", npy("<f8", (), [1e300], "<d"))
    write("npy", "nonfinite_2x2x2.npy", npy("<f8", (2, 2, 2), [0, 1, math.inf, 3, -math.inf, 5, math.nan, 7], "<d"))

    pixels = [(7 * i) % 256 for i in range(28 * 28 * 2)]
    write("idx", "images_1x28x28", idx((1, 28, 28), pixels[: 28 * 28]))
    write("idx", "images_2x28x28.gz", gzip.compress(idx((2, 28, 28), pixels), mtime=0))
    write("idx", "labels_3", idx((3,), [0, 9, 4]))
    write("idx", "labels_5.gz", gzip.compress(idx((5,), [1, 2, 3, 4, 5]), mtime=0))
    write("idx", "table_2x3", idx((2, 3), [1, 2, 3, 4, 5, 6]))


if __name__ == "__main__":
    main()
