<#
.SYNOPSIS
    Builds the PowerShell Gallery package of CognitoDevice (a .nupkg) into a local folder repository.

.DESCRIPTION
    Takes the built module folder output/CognitoDevice/<ModuleVersion>/ (run `dotnet build CognitoDevice.sln` first),
    stages a copy whose manifest carries the release notes of this version from CHANGELOG.md (the one source of the
    notes: the entry "## v<ModuleVersion> - <date>" must exist), checks the staged manifest with Test-ModuleManifest,
    and runs Publish-PSResource (PSResourceGet, shipped with PowerShell 7.4+) to a temporary PSResourceGet repository
    registered on -OutputPath and unregistered afterwards. Nothing leaves the machine: the only repository used is
    the local folder. Writes the .nupkg file (a FileInfo) to the output.

    Install it from there with, for example:
        Register-PSResourceRepository -Name CognitoDeviceLocal -Uri <OutputPath> -Trusted
        Install-PSResource -Name CognitoDevice -Repository CognitoDeviceLocal

.PARAMETER OutputPath
    The folder repository the .nupkg is written to (created when missing). A package of the same version already
    there is replaced.

.EXAMPLE
    ./tools/Build-Package.ps1 -OutputPath ./output/packages
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [string]$OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Get-ReleaseNotes {
    # The body of the CHANGELOG.md entry "## v<Version> - <date>", up to the next "## " heading, trimmed.
    param([Parameter(Mandatory = $true)][string]$ChangelogPath, [Parameter(Mandatory = $true)][string]$Version)

    $text = [System.IO.File]::ReadAllText($ChangelogPath).Replace("`r`n", "`n")
    $pattern = '(?ms)^## v' + [regex]::Escape($Version) + ' - \d{4}-\d{2}-\d{2}[ \t]*\n(.*?)(?=^## |\z)'
    $match = [regex]::Match($text, $pattern)
    if (-not $match.Success) {
        throw "CHANGELOG.md has no entry '## v$Version - YYYY-MM-DD': add one before building the package."
    }
    $notes = $match.Groups[1].Value.Trim()
    if ($notes.Length -eq 0) { throw "The CHANGELOG.md entry of v$Version is empty." }
    return $notes
}

if ($PSVersionTable.PSVersion -lt [version]'7.4') {
    throw "Build-Package.ps1 needs PowerShell 7.4 or later (PSResourceGet's Publish-PSResource); this is $($PSVersionTable.PSVersion)."
}
Import-Module Microsoft.PowerShell.PSResourceGet -ErrorAction Stop

$root = Split-Path -Parent $PSScriptRoot
$version = [string](Import-PowerShellDataFile -Path (Join-Path $root 'CognitoDevice.psd1')).ModuleVersion
$built = Join-Path (Join-Path (Join-Path $root 'output') 'CognitoDevice') $version
if (-not (Test-Path -LiteralPath (Join-Path $built 'CognitoDevice.dll') -PathType Leaf)) {
    throw "The module is not built: '$built' has no CognitoDevice.dll. Run 'dotnet build CognitoDevice.sln' first."
}
foreach ($required in @('en-US/CognitoDevice.dll-Help.xml', 'en-US/about_CognitoDevice.help.txt', 'LICENSE', 'THIRD-PARTY-NOTICES.txt')) {
    if (-not (Test-Path -LiteralPath (Join-Path $built $required) -PathType Leaf)) {
        throw "The built module folder '$built' lacks $required. Rebuild with 'dotnet build CognitoDevice.sln'."
    }
}

$notes = Get-ReleaseNotes -ChangelogPath (Join-Path $root 'CHANGELOG.md') -Version $version

$null = New-Item -ItemType Directory -Path $OutputPath -Force
$repositoryPath = (Resolve-Path -LiteralPath $OutputPath).ProviderPath
$staging = Join-Path ([System.IO.Path]::GetTempPath()) ('cognitodevice-package-' + [guid]::NewGuid().ToString('N'))
$stagedModule = Join-Path $staging 'CognitoDevice'
$repositoryName = 'CognitoDeviceBuild-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
try {
    $null = New-Item -ItemType Directory -Path $stagedModule -Force
    Copy-Item -Path (Join-Path $built '*') -Destination $stagedModule -Recurse -Force

    # The release notes from CHANGELOG.md, as a literal here-string (a line starting with '@ cannot occur in it).
    $manifestPath = Join-Path $stagedModule 'CognitoDevice.psd1'
    $manifest = [System.IO.File]::ReadAllText($manifestPath)
    $literal = "@'`n" + ($notes -replace "(?m)^'@", " '@") + "`n'@"
    $replaced = [regex]::Replace($manifest, "(?m)^(\s*ReleaseNotes\s*=\s*)'[^']*'", { param($m) $m.Groups[1].Value + $literal })
    if ($replaced -eq $manifest) { throw "CognitoDevice.psd1 has no single-quoted ReleaseNotes = '...' line to fill in." }
    [System.IO.File]::WriteAllText($manifestPath, $replaced, (New-Object System.Text.UTF8Encoding -ArgumentList $false))

    $checked = Test-ModuleManifest -Path $manifestPath
    if ([string]$checked.Version -ne $version) { throw "The staged manifest says version $($checked.Version), not $version." }

    $existing = Join-Path $repositoryPath ("CognitoDevice.$version.nupkg")
    if (Test-Path -LiteralPath $existing) { Remove-Item -LiteralPath $existing -Force }

    Register-PSResourceRepository -Name $repositoryName -Uri $repositoryPath -Trusted
    Publish-PSResource -Path $stagedModule -Repository $repositoryName -SkipDependenciesCheck
    if (-not (Test-Path -LiteralPath $existing -PathType Leaf)) {
        throw "Publish-PSResource did not write $existing."
    }
    Get-Item -LiteralPath $existing
}
finally {
    if (Get-PSResourceRepository -Name $repositoryName -ErrorAction SilentlyContinue) {
        Unregister-PSResourceRepository -Name $repositoryName
    }
    Remove-Item -LiteralPath $staging -Recurse -Force -ErrorAction SilentlyContinue
}
