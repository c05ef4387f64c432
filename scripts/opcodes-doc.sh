#!/bin/sh
# Regenerates docs/opcodes.md from opcodes.def.
cd "$(dirname "$0")/.." && awk -f scripts/opcodes.awk opcodes.def > docs/opcodes.md
