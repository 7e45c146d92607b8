"""LZ-string, byte-identical to the JavaScript ``lz-string`` 1.5.0 (npm), URI-safe variant only.

BPJS compresses every encrypted ``response`` with ``LZString.compressToEncodedURIComponent``.
The JavaScript original works on UTF-16 code units, not on code points, so a character outside
the Basic Multilingual Plane (an emoji typed into a complaint) is two "characters" for it.
This module does the same: text is split into UTF-16 code units before compressing and the
decompressed code units are joined back into Python text (surrogate pairs recombined, lone
surrogates kept as they are, exactly what a JavaScript string would hold).

How it stays fast in pure Python (decompression is the hot path: every BPJS response goes
through it):

* The encoded text is turned into one bit string in bulk, with C-level operations only: the
  URI-safe alphabet is translated to the standard base64 alphabet, base64-decoded, turned into
  one big integer and formatted in base 2. No per-character Python work.
* lz-string reads each value least significant bit first, so the bit string is reversed once;
  slices of it parse (``int(slice, 2)``) into an int whose low bit is the next bit to read, and
  a read of ``n`` bits is then ``buf & mask`` and ``buf >>= n``.
* The dictionary is a list of strings indexed by code, the result a list joined at the end.
  Codes 0-2 (new character, end of stream) and out-of-range codes are rare, so they are found
  through the exceptions that the common path raises on them instead of by tests per code.
* The bit width is tracked by comparing the dictionary size with the next power of two instead
  of lz-string's ``enlargeIn`` counter (they are equivalent for the decompressor).

Compression writes the same bit stream in reverse: each emitted value is formatted most
significant bit first, the pieces are joined in reverse order and the whole string reversed.

Known deviation: when the very first value of a corrupt stream is 3, JavaScript carries on with
``undefined`` in its dictionary and returns text containing the word "undefined" or throws; this
module returns ``None`` instead. Every stream that a compressor can produce decodes identically.
"""

from __future__ import annotations

import base64
import re
import sys

__all__ = ["compress_to_encoded_uri_component", "decompress_from_encoded_uri_component"]

_URI_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-"
# Standard base64 differs from lz-string's URI alphabet only in the last symbol ("-" vs "/").
_TO_STD_B64 = str.maketrans({"-": "/"})
_FROM_STD_B64 = bytes.maketrans(b"/", b"-")
# lz-string maps anything outside its alphabet (and its unused 65th symbol "$") to 0.
_NOT_IN_ALPHABET = re.compile(r"[^A-Za-z0-9+\-]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_UTF16 = "utf-16-le" if sys.byteorder == "little" else "utf-16-be"
# Zero bits appended after the stream: JavaScript reads missing characters as 0.
_PAD_BITS = 64
# Decompression reads the stream into an int _CHUNK bits at a time, topping up below
# _REFILL_BELOW bits (more than one code plus a 16-bit literal).
_CHUNK = 600
_REFILL_BELOW = 64


def _to_code_units(text: str) -> str:
    """Split astral characters into their UTF-16 surrogate pairs (one str char per unit)."""
    if text.isascii() or _ASTRAL.search(text) is None:
        return text
    raw = text.encode("utf-16-le", "surrogatepass")
    units = memoryview(raw).cast("H") if sys.byteorder == "little" else None
    if units is None:  # pragma: no cover - big-endian machines
        return "".join(chr(raw[i] | raw[i + 1] << 8) for i in range(0, len(raw), 2))
    return "".join(map(chr, units))


def _from_code_units(units: str) -> str:
    """Join UTF-16 code units back into text, keeping lone surrogates as JavaScript would."""
    if units.isascii() or _SURROGATE.search(units) is None:
        return units
    return units.encode(_UTF16, "surrogatepass").decode(_UTF16, "surrogatepass")


def compress_to_encoded_uri_component(text: str) -> str:
    """``LZString.compressToEncodedURIComponent(text)``: same output, character for character."""
    data = _to_code_units(text)
    dictionary: dict[str, int] = {}
    to_create: set[str] = set()
    out: list[str] = []  # values written, each most significant bit first
    push = out.append
    w = ""
    enlarge_in = 2
    dict_size = 3
    num_bits = 2
    fmt = "02b"  # format spec for num_bits

    for c in data:
        wc = w + c
        if wc in dictionary:
            w = wc
            continue
        # A character seen for the first time cannot be part of a known phrase, so checking
        # for it only here gives the same dictionary order as lz-string's check per character.
        if c not in dictionary:
            dictionary[c] = dict_size
            dict_size += 1
            to_create.add(c)
            if not w:  # the very first character
                w = c
                continue
        if w in to_create:
            code = ord(w)
            if code < 256:
                push("0" * num_bits)
                push(format(code, "08b"))
            else:
                push(format(1, fmt))
                push(format(code, "016b"))
            enlarge_in -= 1
            if enlarge_in == 0:
                enlarge_in = 1 << num_bits
                num_bits += 1
                fmt = f"0{num_bits}b"
            to_create.discard(w)
        else:
            push(format(dictionary[w], fmt))
        enlarge_in -= 1
        if enlarge_in == 0:
            enlarge_in = 1 << num_bits
            num_bits += 1
            fmt = f"0{num_bits}b"
        dictionary[wc] = dict_size
        dict_size += 1
        w = c

    if w:
        if w in to_create:
            code = ord(w)
            if code < 256:
                push("0" * num_bits)
                push(format(code, "08b"))
            else:
                push(format(1, fmt))
                push(format(code, "016b"))
            enlarge_in -= 1
            if enlarge_in == 0:
                enlarge_in = 1 << num_bits
                num_bits += 1
                fmt = f"0{num_bits}b"
        else:
            push(format(dictionary[w], fmt))
        enlarge_in -= 1
        if enlarge_in == 0:
            enlarge_in = 1 << num_bits
            num_bits += 1
            fmt = f"0{num_bits}b"
    push(format(2, fmt))  # end of stream

    out.reverse()
    bits = "".join(out)[::-1]  # the stream in writing order
    # The flush always adds between 1 and 6 zero bits, completing the last 6-bit character.
    bits += "0" * (6 - len(bits) % 6)
    n_chars = len(bits) // 6
    bits += "0" * (-len(bits) % 24)  # whole base64 quanta: no "=" padding
    raw = int(bits, 2).to_bytes(len(bits) // 8, "big")
    return base64.b64encode(raw)[:n_chars].translate(_FROM_STD_B64).decode("ascii")


def _bit_stream(data: str) -> str:
    """The input's bits, reversed (last bit first), behind ``_PAD_BITS`` zero bits."""
    data = data.replace(" ", "+")
    if _NOT_IN_ALPHABET.search(data) is not None:
        data = _NOT_IN_ALPHABET.sub("A", data)
    n_bits = len(data) * 6
    data += "A" * (-len(data) % 4)
    raw = base64.b64decode(data.translate(_TO_STD_B64))
    bits = format(int.from_bytes(raw, "big"), "b").zfill(len(raw) * 8)
    return "0" * _PAD_BITS + bits[n_bits - 1 :: -1]


def decompress_from_encoded_uri_component(data: str) -> str | None:
    """``LZString.decompressFromEncodedURIComponent(data)``.

    Returns ``None`` where JavaScript returns ``null`` (empty input, or a back-reference beyond
    the dictionary) and ``""`` where it returns ``""`` (the stream ends without its end marker).
    """
    if data == "":
        return None
    r = _bit_stream(data)
    pos = len(r)  # r[pos - n:pos] holds the next n bits, least significant bit first
    end = _PAD_BITS

    first = int(r[pos - 2 : pos], 2)
    pos -= 2
    if first == 0:
        w = chr(int(r[pos - 8 : pos], 2))
        pos -= 8
    elif first == 1:
        w = chr(int(r[pos - 16 : pos], 2))
        pos -= 16
    elif first == 2:
        return ""
    else:
        return None  # see the module docstring

    # Codes 0, 1 and 2 are commands, not strings: None makes `entry[0]` raise TypeError below.
    d: list[str | None] = [None, None, None, w]
    append = d.append
    result = [w]
    push = result.append
    size = 4  # len(d)
    num_bits = 3
    mask = 7  # (1 << num_bits) - 1
    limit = 8  # num_bits grows when size reaches limit
    entry: str | None

    # Fast loop: bits come from `buf`, an int refilled _CHUNK bits at a time (its low bit is
    # the next bit of the stream), so a read is one `&` and one `>>`. Commands and
    # out-of-range codes are rare and handled as exceptions (free in Python 3.11 when unused).
    buf = 0
    avail = 0  # bits held in buf
    stop = end + _CHUNK
    while True:
        if avail < _REFILL_BELOW:
            if pos < stop:
                break  # the last bits are read by the careful loop below
            buf |= int(r[pos - _CHUNK : pos], 2) << avail
            pos -= _CHUNK
            avail += _CHUNK
        c = buf & mask
        buf >>= num_bits
        avail -= num_bits
        try:
            entry = d[c]
            append(w + entry[0])  # type: ignore[index]
        except IndexError:
            if c != size:
                return None
            entry = w + w[0]
            append(entry)
        except TypeError:
            if c == 2:
                return _from_code_units("".join(result))
            if c == 0:
                entry = chr(buf & 0xFF)
                buf >>= 8
                avail -= 8
            else:
                entry = chr(buf & 0xFFFF)
                buf >>= 16
                avail -= 16
            append(entry)
            append(w + entry)
            size += 1
        push(entry)  # type: ignore[arg-type]
        w = entry  # type: ignore[assignment]
        size += 1
        if size >= limit:
            num_bits += 1
            mask = (mask << 1) | 1
            limit <<= 1

    # Careful loop for the tail: stops exactly where JavaScript runs out of input.
    pos += avail  # give back the bits still in buf
    while pos > end:
        c = int(r[pos - num_bits : pos], 2)
        pos -= num_bits
        if c > 2:
            if c < size:
                entry = d[c]
            elif c == size:
                entry = w + w[0]
            else:
                return None
        elif c == 2:
            return _from_code_units("".join(result))
        else:
            if c == 0:
                entry = chr(int(r[pos - 8 : pos], 2))
                pos -= 8
            else:
                entry = chr(int(r[pos - 16 : pos], 2))
                pos -= 16
            append(entry)
            size += 1
        push(entry)  # type: ignore[arg-type]
        append(w + entry[0])  # type: ignore[index]
        size += 1
        w = entry  # type: ignore[assignment]
        if size >= limit:
            num_bits += 1
            limit <<= 1
    return ""
