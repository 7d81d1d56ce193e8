; NSIS 3 script: the per-user Windows installer of Trackly Desktop (no administrator rights).
; Built by `python packaging/build.py windows` (on Linux with Debian's nsis, or on Windows),
; which passes the defines below:
;   makensis -DAPP_VERSION=0.1.0 -DBUNDLE_DIR=<dist>/trackly-desktop -DOUT_FILE=<setup.exe>
;            -DREPO_ROOT=<checkout> packaging/windows/trackly-desktop.nsi
; Silent install: setup.exe /S    Silent uninstall: uninstall.exe /S
; Proven under Wine on every CI run by tests/e2e/test_windows_installer.py.

!ifndef APP_VERSION
  !error "Pass the version: makensis -DAPP_VERSION=x.y.z"
!endif
!ifndef BUNDLE_DIR
  !error "Pass the PyInstaller bundle folder: makensis -DBUNDLE_DIR=..."
!endif
!ifndef APP_VERSION_NUMERIC
  !define APP_VERSION_NUMERIC "${APP_VERSION}.0"
!endif
!ifndef OUT_FILE
  !define OUT_FILE "TracklyDesktop-${APP_VERSION}-setup.exe"
!endif
!ifndef REPO_ROOT
  !define REPO_ROOT "..\.."
!endif

!define APP_NAME "Trackly Desktop"
!define APP_EXE "trackly-desktop.exe"
!define CLI_EXE "trackly.exe"
; Where the app keeps the user's settings, send history (journal) and logs (platformdirs'
; user data folder for TracklyDesktop by Trackly): never touched by the uninstaller.
!define DATA_DIR "$LOCALAPPDATA\Trackly\TracklyDesktop"
; Identifies the app to Windows' "Apps" list across versions: never change it.
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\TracklyDesktop"

Unicode true
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma
SetCompressorDictSize 64

Name "${APP_NAME}"
OutFile "${OUT_FILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${APP_NAME} ${APP_VERSION}"

VIProductVersion "${APP_VERSION_NUMERIC}"
VIAddVersionKey "ProductName" "${APP_NAME}"
VIAddVersionKey "CompanyName" "Trackly"
VIAddVersionKey "FileDescription" "${APP_NAME} setup"
VIAddVersionKey "FileVersion" "${APP_VERSION}"
VIAddVersionKey "ProductVersion" "${APP_VERSION}"
VIAddVersionKey "LegalCopyright" "Trackly"

!include "MUI2.nsh"
!define MUI_ICON "${REPO_ROOT}\resources\icons\trackly.ico"
!define MUI_UNICON "${REPO_ROOT}\resources\icons\trackly.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APP_NAME}"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "${APP_NAME} will be removed from your computer. Your settings, send history and logs stay in ${DATA_DIR}."

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  SetShellVarContext current
  SetRegView 64
FunctionEnd

Function un.onInit
  SetShellVarContext current
  SetRegView 64
FunctionEnd

Section "Install"
  SetOutPath "$INSTDIR"
  ; An update replaces the whole bundle: no library of the old version may linger.
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE_DIR}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME} (demo, practice server).lnk" "$INSTDIR\${APP_EXE}" "--demo"

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${APP_VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "Trackly"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$SMPROGRAMS\${APP_NAME} (demo, practice server).lnk"
  ; Only what the installer put there: the folder itself goes only if nothing else is in it.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DetailPrint "Your settings, send history and logs are kept in ${DATA_DIR}."
  DetailPrint "Delete that folder to remove them too."
  MessageBox MB_OK|MB_ICONINFORMATION "${APP_NAME} was removed.$\r$\n$\r$\nYour settings, send history and logs are kept in ${DATA_DIR}. Delete that folder to remove them too." /SD IDOK
SectionEnd
