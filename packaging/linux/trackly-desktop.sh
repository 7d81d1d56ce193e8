#!/bin/sh
# /usr/bin/trackly-desktop: start the app installed under /opt/trackly-desktop.
# The path is taken relative to this script, so a tree unpacked elsewhere (dpkg -x into a
# test folder) starts its own copy, not the system's.
here=$(dirname "$(readlink -f "$0")")
exec "$here/../../opt/trackly-desktop/trackly-desktop" "$@"
