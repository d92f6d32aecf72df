; Included by electron-builder's NSIS script (nsis.include in electron-builder.yml).
; Per-machine install: start Cadence at every user's logon through HKLM\...\Run.
!macro customInstall
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Run" "Cadence" '"$INSTDIR\Cadence.exe" --hidden'
!macroend

!macro customUnInstall
  DeleteRegValue HKLM "Software\Microsoft\Windows\CurrentVersion\Run" "Cadence"
  ; Users' data (%LOCALAPPDATA%\Cadence) and the policy key (HKLM\Software\Policies\Cadence) are left alone.
!macroend
