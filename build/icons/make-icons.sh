#!/bin/sh
# Regenerates Cadence's icons with ImageMagick (apt-get install -y imagemagick).
# Tray icons: one per state, drawn at 64 px (@2x) and scaled to 32 px; a filled
# disc whose colour AND white mark say the state, so it reads without colour too.
# App icon: 512 px for electron-builder (it derives .ico/.icns from it).
set -eu
cd "$(dirname "$0")"
tray() { # name colour draw-primitives (64 px coordinates)
  convert -size 64x64 xc:none -fill "$2" -draw 'circle 32,32 32,3' \
    -stroke white -strokewidth 6 -draw "fill none $3" "tray-$1@2x.png"
  convert "tray-$1@2x.png" -resize 32x32 "tray-$1.png"
}
tray learning    '#1f4fbf' 'line 17,40 26,28 line 26,28 34,36 line 34,36 47,21'     # a rising line: still learning
tray protected   '#0f6b3a' 'line 19,33 28,42 line 28,42 45,22'           # a tick: protecting
tray challenge   '#b45309' 'line 32,15 32,35 fill white circle 32,46 32,49'  # an exclamation mark: checking
tray paused      '#4b5563' 'line 25,19 25,45 line 39,19 39,45'    # pause bars
tray unavailable '#a4161a' 'line 20,20 44,44 line 44,20 20,44'    # a cross: cannot see input
convert -size 512x512 xc:none -fill '#1f4fbf' -draw 'roundrectangle 16,16 496,496 96,96' \
  -stroke white -strokewidth 36 -draw 'line 120,320 200,210 line 200,210 290,280 line 290,280 400,150' icon.png
