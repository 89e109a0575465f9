; Inno Setup 6 (6.3 or later) script for 推荐材料助手. Built by `python packaging/build.py` on
; Windows, which passes the generated version include, the bundle folder and the icon:
;   ISCC /DVersionInclude=build\installer\version.iss /DSourceDir=dist\推荐材料助手 packaging\installer.iss
; Name and version come from build\installer\version.iss (generated from nominator/__init__.py).
;
; What it does: installs per user by default (clerks seldom have administrator rights; an
; administrator can choose "all users" in the first dialog), Start-menu and optional desktop
; shortcuts, the .nominator file association, and an uninstaller that removes the program only.
; The clerk's data is never in {app}: stores are in 文档 (Documents) or wherever the clerk saved
; them, backups and logs in %LOCALAPPDATA%\Nominator, window settings in %APPDATA%\Nominator.
; Uninstalling leaves all of them, so reinstalling or upgrading finds everything as it was.
; This file is UTF-8 with a byte order mark: keep it so, or the Chinese text breaks.

#ifndef VersionInclude
  #define VersionInclude AddBackslash(SourcePath) + "..\build\installer\version.iss"
#endif
#include VersionInclude

#ifndef SourceDir
  #define SourceDir AddBackslash(SourcePath) + "..\dist\" + AppName
#endif
#ifndef IconFile
  #define IconFile AddBackslash(SourcePath) + "..\resources\icons\nominator.ico"
#endif
#define StoreProgId "Nominator.Store"

[Setup]
; AppId must never change: it is how an upgrade finds the installed copy.
AppId={{6F1C2B7E-2D4A-4C1E-9B1A-5E3D7C9A4F21}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersionNumbers}
VersionInfoProductName={#AppName}
VersionInfoProductVersion={#AppVersion}
VersionInfoDescription={#AppName} 安装程序
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputBaseFilename={#AppName}-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
CloseApplications=yes

[Languages]
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
Name: "chs"; MessagesFile: "ChineseSimplified.isl"
#else
  #error ChineseSimplified.isl not found: put the Inno Setup translation in Inno Setup 6\Languages\ or next to installer.iss (see README)
#endif

[CustomMessages]
chs.AssocTask=双击 .nominator 推荐库文件时用“{#AppName}”打开
chs.AssocGroup=文件关联:
chs.StoreType=推荐材料助手推荐库
chs.DemoShortcut={#AppName}(示例数据)
chs.CliShortcut={#AppName} 命令行自检

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "association"; Description: "{cm:AssocTask}"; GroupDescription: "{cm:AssocGroup}"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"
Name: "{autoprograms}\{cm:DemoShortcut}"; Filename: "{app}\{#AppExeName}"; Parameters: "gui --demo"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Registry]
; HKA is the current user's classes for a per-user install, the machine's for an all-users one.
Root: HKA; Subkey: "Software\Classes\.nominator"; ValueType: string; ValueName: ""; ValueData: "{#StoreProgId}"; Flags: uninsdeletevalue; Tasks: association
Root: HKA; Subkey: "Software\Classes\.nominator\OpenWithProgids"; ValueType: string; ValueName: "{#StoreProgId}"; ValueData: ""; Flags: uninsdeletevalue; Tasks: association
Root: HKA; Subkey: "Software\Classes\{#StoreProgId}"; ValueType: string; ValueName: ""; ValueData: "{cm:StoreType}"; Flags: uninsdeletekey; Tasks: association
Root: HKA; Subkey: "Software\Classes\{#StoreProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExeName},0"; Tasks: association
Root: HKA; Subkey: "Software\Classes\{#StoreProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExeName}"" ""%1"""; Tasks: association

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] for data, on purpose: see the header. Only what Setup installed is removed.
