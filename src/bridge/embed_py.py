#!/usr/bin/env python3
"""embed_py.py SRC NAME - prints a C header defining `static const char NAME[]`
with the text of SRC (the Pyodide build embeds src/bridge/driver.py this way)."""
import sys

src, name = sys.argv[1], sys.argv[2]
text = open(src, encoding="utf-8").read()
out = ["/* generated from %s by src/bridge/embed_py.py: do not edit */" % src,
       "static const char %s[] =" % name]
for line in text.splitlines(True):
    esc = line.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    esc = esc.replace("??", "?\\?")
    out.append('    "%s"' % esc)
out[-1] += ";"
if len(out) == 2:
    out.append('    "";')
print("\n".join(out))
