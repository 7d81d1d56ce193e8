#!/bin/sh
# /usr/bin/trackly: the command line of the app installed under /opt/trackly-desktop.
# The bundle's `trackly` is a link to its one executable, which starts the command line
# when called by that name. The path is taken relative to this script, as in
# trackly-desktop.sh, so a tree unpacked elsewhere runs its own copy.
here=$(dirname "$(readlink -f "$0")")
exec "$here/../../opt/trackly-desktop/trackly" "$@"
