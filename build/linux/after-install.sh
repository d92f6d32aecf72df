#!/bin/sh
# deb/rpm post-install: start Cadence at every user's graphical login.
# /etc/xdg/autostart is read by GNOME, KDE, Xfce, Cinnamon, MATE and LXQt.
set -e
install -D -m 0644 "/opt/Cadence/resources/autostart/cadence-autostart.desktop" /etc/xdg/autostart/cadence.desktop
# The machine policy folder, so IT can drop policy.json in place (see docs/it-guide.md).
install -d -m 0755 /etc/cadence
exit 0
