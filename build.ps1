<#
.SYNOPSIS
    Builds the CognitoDevice module and runs its tests.

.DESCRIPTION
    1. dotnet build src/CognitoDevice -c <Configuration>: compiles the module and lays out the importable module
       folder output/CognitoDevice/<ModuleVersion>/.
    2. dotnet test (the solution at the repository root), unless -SkipTests.
    3. The Pester tests in tests/ (Pester 5 or later), unless -SkipTests or -SkipPester, and only when Pester 5+ is
       installed: otherwise the script says so and why, and goes on. They run in a child PowerShell of the same
       edition (-NoProfile -NonInteractive), so the module is never loaded into this session (a loaded
       CognitoDevice.dll would block the next build on Windows) and a confirmation prompt fails instead of waiting.
       The local Cognito endpoint they start (tests/CognitoDevice.LocalEndpoint) is built first.

    AWS_EC2_METADATA_DISABLED is set to 'true' for the test runs, so nothing ever asks the instance metadata service
    for credentials. Exits with a non-zero code when any step fails.

    Windows PowerShell 5.1 and PowerShell 7.

.PARAMETER Configuration
    Debug (default) or Release.

.PARAMETER SkipTests
    Build only: run neither dotnet test nor Pester.

.PARAMETER SkipPester
    Run dotnet test but not the Pester tests.

.EXAMPLE
    ./build.ps1

.EXAMPLE
    ./build.ps1 -Configuration Release -SkipPester
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string]$Configuration = 'Debug',

    [switch]$SkipTests,

    [switch]$SkipPester
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

function Invoke-DotNet {
    param([Parameter(Mandatory = $true)][string[]]$Arguments)

    Write-Host ('> dotnet ' + ($Arguments -join ' '))
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw ('dotnet {0} failed with exit code {1}.' -f ($Arguments -join ' '), $LASTEXITCODE)
    }
}

function Get-PesterModule {
    # The newest installed Pester 5 or later, or $null.
    return Get-Module -Name Pester -ListAvailable |
        Where-Object { $_.Version -ge [version]'5.0' } |
        Sort-Object -Property Version -Descending |
        Select-Object -First 1
}

function Get-CurrentPowerShell {
    # The executable of the running PowerShell: powershell.exe (Desktop) or pwsh (Core).
    if ($PSVersionTable.ContainsKey('PSEdition') -and $PSVersionTable.PSEdition -eq 'Core') {
        $name = 'pwsh'
        if ([System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT) { $name = 'pwsh.exe' }
    }
    else {
        $name = 'powershell.exe'
    }
    $path = Join-Path $PSHOME $name
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
        throw "The PowerShell executable was not found at '$path'."
    }
    return $path
}

function ConvertTo-Literal {
    param([Parameter(Mandatory = $true)][string]$Value)
    return "'" + $Value.Replace("'", "''") + "'"
}

function Invoke-PesterTests {
    param(
        [Parameter(Mandatory = $true)]$Pester,
        [Parameter(Mandatory = $true)][string]$TestsPath
    )

    # [PesterConfiguration]::Default exists in every Pester 5 (New-PesterConfiguration not in the earliest 5.x).
    $child = @'
Import-Module -Name {{PESTER}} -Force -ErrorAction Stop
$configuration = [PesterConfiguration]::Default
$configuration.Run.Path = {{TESTS}}
$configuration.Run.PassThru = $true
$configuration.Run.Exit = $false
$configuration.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $configuration
'Pester: {0} passed, {1} failed, {2} skipped' -f $result.PassedCount, $result.FailedCount, $result.SkippedCount
if ($result.Result -ne 'Passed') { exit 1 }
exit 0
'@
    $child = $child.Replace('{{PESTER}}', (ConvertTo-Literal $Pester.Path)).Replace('{{TESTS}}', (ConvertTo-Literal $TestsPath))
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($child))
    $powershell = Get-CurrentPowerShell

    Write-Host ("> Pester {0} in {1}: {2}" -f $Pester.Version, $powershell, $TestsPath)
    & $powershell -NoProfile -NonInteractive -EncodedCommand $encoded
    if ($LASTEXITCODE -ne 0) {
        throw "The Pester tests failed (exit code $LASTEXITCODE)."
    }
}

$root = $PSScriptRoot
$savedMetadataDisabled = $env:AWS_EC2_METADATA_DISABLED
$exitCode = 0
Push-Location -LiteralPath $root
try {
    $dotnet = Get-Command -Name 'dotnet' -CommandType Application -ErrorAction SilentlyContinue
    if (-not $dotnet) {
        throw 'dotnet was not found on PATH. Install the .NET SDK named in global.json.'
    }

    Invoke-DotNet -Arguments @('build', 'src/CognitoDevice', '-c', $Configuration)

    if ($SkipTests) {
        Write-Host 'Skipping dotnet test and the Pester tests: -SkipTests was given.'
    }
    else {
        $env:AWS_EC2_METADATA_DISABLED = 'true'

        Invoke-DotNet -Arguments @('test', '-c', $Configuration)

        if ($SkipPester) {
            Write-Host 'Skipping the Pester tests: -SkipPester was given.'
        }
        else {
            $pester = Get-PesterModule
            if (-not $pester) {
                $found = @(Get-Module -Name Pester -ListAvailable | ForEach-Object { $_.Version.ToString() })
                $what = 'no Pester module is installed'
                if ($found.Count -gt 0) { $what = 'only Pester ' + ($found -join ', ') + ' is installed' }
                Write-Warning ("Skipping the Pester tests in tests/: they need Pester 5.0 or later, and {0}. Install it with: Install-Module -Name Pester -MinimumVersion 5.0 -Scope CurrentUser -SkipPublisherCheck" -f $what)
            }
            else {
                # The endpoint the Pester tests start as a child process.
                Invoke-DotNet -Arguments @('build', 'tests/CognitoDevice.LocalEndpoint', '-c', $Configuration)
                Invoke-PesterTests -Pester $pester -TestsPath (Join-Path $root 'tests')
            }
        }
    }
    Write-Host 'Build succeeded.'
}
catch {
    Write-Host ('Build failed: ' + $_.Exception.Message) -ForegroundColor Red
    $exitCode = 1
}
finally {
    $env:AWS_EC2_METADATA_DISABLED = $savedMetadataDisabled
    Pop-Location
}
exit $exitCode
