#!/bin/sh
# Entrypoint of the GPU container.
#   (no arguments)          -> zone serve
#   serve|models|edit|...   -> that zone command, e.g. `models verify /models/current`
#   -flags                  -> zone serve with those flags, e.g. `--models fixtures`
#   anything else           -> executed as given (Modal starts its own runtime this way)
set -e
if [ "$#" -eq 0 ]; then
  set -- serve
fi
case "$1" in
  serve | models | edit | classify | tokenize | compose | demo | segment | help)
    exec node /app/gpu-function/bin/zone.js "$@"
    ;;
  -*)
    exec node /app/gpu-function/bin/zone.js serve "$@"
    ;;
  *)
    exec "$@"
    ;;
esac
