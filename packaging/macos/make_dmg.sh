#!/usr/bin/env bash
# Sign the .app (when an identity is given), wrap it in a .dmg, sign and notarize that.
#   packaging/macos/make_dmg.sh "dist/Trackly Desktop.app" dist/TracklyDesktop-0.1.0.dmg
# Secrets come from the environment (the release workflow maps them from its secrets):
#   MACOS_SIGN_IDENTITY  "Developer ID Application: <Company> (<TEAMID>)", in the keychain
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD  an app-specific password, for notarytool
# Without MACOS_SIGN_IDENTITY the .dmg is built unsigned (fine for a test, not a release:
# Gatekeeper blocks it). Untested here (no Mac): written from Apple's codesign, hdiutil,
# notarytool and stapler documentation; run by the release workflow's macos job.
set -euo pipefail

app=${1:?path to the .app}
dmg=${2:?path of the .dmg to write}
here=$(cd "$(dirname "$0")" && pwd)
volume="Trackly Desktop"

sign() {
  codesign --force --timestamp --options runtime \
    --entitlements "$here/entitlements.plist" --sign "$MACOS_SIGN_IDENTITY" "$@"
}

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  # Inside out: every library and executable first, the bundle itself last (Apple advises
  # against --deep for signing).
  find "$app/Contents" -type f \( -name '*.so' -o -name '*.dylib' -o -perm -u+x \) -print0 |
    while IFS= read -r -d '' file; do
      if file -b "$file" | grep -q 'Mach-O'; then sign "$file"; fi
    done
  sign "$app"
  codesign --verify --strict --verbose=2 "$app"
else
  echo "MACOS_SIGN_IDENTITY is not set: building an unsigned .dmg" >&2
fi

# DMG_STAGING_DIR=<empty folder>: lay the volume's contents out there and stop before
# hdiutil (tests/unit/test_macos_packaging.py checks that layout on Linux).
if [ -n "${DMG_STAGING_DIR:-}" ]; then
  staging=$DMG_STAGING_DIR
else
  staging=$(mktemp -d)
  trap 'rm -rf "$staging"' EXIT
fi
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"  # drag-to-install
if [ -n "${DMG_STAGING_DIR:-}" ]; then
  echo "$staging"
  exit 0
fi
rm -f "$dmg"
hdiutil create -volname "$volume" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$dmg"
  if [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
    xcrun notarytool submit "$dmg" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
      --password "$APPLE_APP_PASSWORD" --wait
    xcrun stapler staple "$dmg"
    spctl --assess --type open --context context:primary-signature --verbose "$dmg"
  else
    echo "APPLE_ID / APPLE_TEAM_ID / APPLE_APP_PASSWORD not set: not notarized" >&2
  fi
fi
echo "$dmg"
