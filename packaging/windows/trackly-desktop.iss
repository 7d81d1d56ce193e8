; Inno Setup 6 script: a per-user installer for Trackly Desktop (no administrator rights).
; Built by `python packaging/build.py windows`, which passes the defines below to ISCC:
;   ISCC /DAppVersion=0.1.0 /DBundleDir=...\dist\trackly-desktop /DOutputDir=...\dist
;        /DRepoRoot=... packaging\windows\trackly-desktop.iss
; Untested here (no Windows machine): written from the Inno Setup 6 documentation and
; exercised only by the release workflow's windows job.

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=x.y.z
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\trackly-desktop"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif
#ifndef RepoRoot
  #define RepoRoot "..\.."
#endif

#define AppName "Trackly Desktop"
#define AppExe "trackly-desktop.exe"

[Setup]
; The AppId identifies the app to Windows' uninstaller across versions: never change it.
AppId={{6E0B3C52-8F1D-4C0E-9A57-3D2B7A9E41C6}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Trackly
VersionInfoVersion={#AppVersion}
; Per-user install: no UAC prompt; {autopf} is then %LOCALAPPDATA%\Programs and
; {autoprograms} the user's own Start menu.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=TracklyDesktop-{#AppVersion}-setup
SetupIconFile={#RepoRoot}\resources\icons\trackly.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running copy before replacing its files (Restart Manager).
CloseApplications=yes
#ifdef SignTool
; Signing (see packaging/README.md): ISCC /DSignTool=1 "/Ssigntool=signtool.exe sign ... $f"
SignTool=signtool
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autoprograms}\{#AppName} (demo, practice server)"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The uninstaller removes what [Files] installed; the app's settings, journal and logs in
; %LOCALAPPDATA%\Trackly\TracklyDesktop are the user's and stay.
