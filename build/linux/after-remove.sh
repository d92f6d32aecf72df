#!/bin/sh
# deb/rpm post-remove: stop starting at login. Users' data folders and
# /etc/cadence/policy.json are left alone (docs/it-guide.md says how to remove them).
rm -f /etc/xdg/autostart/cadence.desktop
exit 0
