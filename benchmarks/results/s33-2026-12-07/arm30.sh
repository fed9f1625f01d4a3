#!/bin/bash
# one 30-minute e2e arm under the bench lock: name, tree, m2, extra bench flags... (arm.sh at 1800s, warm-up 1200s)
DURATION=1800s WARMUP=1200s exec "$(dirname "$0")/arm.sh" "$@"
