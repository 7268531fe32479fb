#!/usr/bin/env bash
# Runs only the proxy's tests (the repo's .mocharc runs every package): ./strangler-proxy/mocha.sh [glob]
cd "$(dirname "$0")/.." && exec npx mocha --no-config --require test/setup.ts --extension ts --timeout 60000 --exit "${@:-strangler-proxy/src/**/*.test.ts}"
