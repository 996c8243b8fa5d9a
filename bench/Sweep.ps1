#Requires -Version 7.0
<#
.SYNOPSIS
    Pool-wide sweep benchmark (issue 11), in real pwsh against the local Cognito endpoint on 127.0.0.1.

.DESCRIPTION
    1. Sweeps: Get-CognitoDevice -UserPoolId <pool> (no -Username) over pools of -SweepUsers users with 0..5
       devices each, -LatencyMs per answer, Cognito's quotas scaled so that the largest sweep's quota-bound ideal
       (AdminListDevices calls / UserResourceRead quota) is -TargetSeconds. Each sweep runs in a fresh child pwsh
       (module import, sweep, peak working set of that process). Reports time vs the ideal, devices found vs the
       endpoint's state (lost), server-side throttles, and the child's peak working set per pool size.
    2. The README's 90-day clean-up pipeline end to end (Get-CognitoDevice -UserPoolId | Where-Object | Remove-CognitoDevice)
       on a pool of -CleanupUsers users, same latency and quotas: every stale device forgotten, every fresh one kept,
       and the removal rate against the UserResourceUpdate quota (target >= 90 %).

    The client paces to the same (scaled) quotas through COGNITODEVICE_QUOTA_*. Build first:
    dotnet build CognitoDevice.sln.

.EXAMPLE
    AWS_EC2_METADATA_DISABLED=true dotnet pwsh -NoProfile -File bench/Sweep.ps1
#>
[CmdletBinding()]
param(
    [int[]]$SweepUsers = @(2500, 5000, 10000),
    [int]$MaxDevices = 5,
    [double]$LatencyMs = 40,
    [double]$TargetSeconds = 60,
    [int]$CleanupUsers = 2000,
    # Quota scale of the clean-up (default: the sweeps' scale); 1 is Cognito's own 25 removals a second.
    [double]$CleanupQuotaScale = 0,
    [switch]$SkipSweeps,
    [string]$OutFile
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$repo = Split-Path -Parent $PSScriptRoot
Import-Module (Join-Path $repo 'tests/TestHelpers.psm1') -Force
Initialize-CognitoTestEnvironment
$lines = [System.Collections.Generic.List[string]]::new()
function Say([string]$Text) { $lines.Add($Text); Write-Host $Text }

$largest = ($SweepUsers | Measure-Object -Maximum).Maximum
# Users with at most 5 devices need one AdminListDevices page each: the ideal is users / UserResourceRead.
$scale = $largest / (50 * $TargetSeconds)
$rates = @{
    USERLIST = 30 * $scale; USERPOOLREAD = 15 * $scale; USERRESOURCEREAD = 50 * $scale; USERRESOURCEUPDATE = 25 * $scale
    PERUSERREAD = 10 * $scale; PERUSERWRITE = 10 * $scale
}
$childEnv = @{}
foreach ($k in $rates.Keys) { $childEnv["COGNITODEVICE_QUOTA_$k"] = ([double]$rates[$k]).ToString([cultureinfo]::InvariantCulture) }

$endpoint = Start-LocalCognito
$url = $endpoint.Url
try {
    $null = Invoke-LocalControl -Method POST -Path 'quotas' -Body @{ scale = $scale }
    $null = Invoke-LocalControl -Method POST -Path 'latency' -Body @{ ms = $LatencyMs }
    $manifest = Get-CognitoDeviceManifestPath
    Say ("# Pool-wide sweep benchmark ({0:u})" -f [DateTime]::UtcNow)
    Say ''
    Say ("Local endpoint {0}: {1} ms per answer; Cognito's quotas x{2:0.###}: UserList {3:0.#}/s, UserResourceRead {4:0.#}/s, UserResourceUpdate {5:0.#}/s, per user {6:0.#} reads and {7:0.#} writes/s (server and client pacing alike). PowerShell {8}, {9} cores." -f `
        $url, $LatencyMs, $scale, $rates.USERLIST, $rates.USERRESOURCEREAD, $rates.USERRESOURCEUPDATE, $rates.PERUSERREAD, $rates.PERUSERWRITE, $PSVersionTable.PSVersion, [Environment]::ProcessorCount)
    Say ''

    # ------------------------------------------------------------------ 1. sweeps
    Say '| users | devices | AdminListDevices | ideal (s) | sweep (s) | vs ideal | found | lost | users failed | throttled (server) | child peak WS (MB) | WS after import (MB) |'
    Say '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
    $seedStart = 0
    foreach ($n in $(if ($SkipSweeps) { @() } else { $SweepUsers })) {
        $pool = (New-LocalPool -Region 'eu-west-1').poolId
        $seeded = Invoke-LocalControl -Method POST -Path 'seed' -Body @{ poolId = $pool; count = $n; maxDevices = $MaxDevices; seed = 11 }
        $null = Invoke-LocalControl -Method POST -Path 'quotas' -Body @{ scale = $scale; resetCounters = $true }
        $script = @"
Import-Module '$manifest'
`$before = [System.Diagnostics.Process]::GetCurrentProcess().WorkingSet64
`$watch = [System.Diagnostics.Stopwatch]::StartNew()
`$found = 0
Get-CognitoDevice -UserPoolId '$pool' -ProfileName cognito-local -EndpointUrl '$url' -ErrorAction Continue -ErrorVariable failed | ForEach-Object { `$found++ }
`$watch.Stop()
`$p = [System.Diagnostics.Process]::GetCurrentProcess(); `$p.Refresh()
Write-TestResult @{ Seconds = `$watch.Elapsed.TotalSeconds; Found = `$found; Failed = @(`$failed).Count; PeakWs = `$p.PeakWorkingSet64; WsAfterImport = `$before }
"@
        $child = Invoke-ChildPowerShell -Script $script -Environment $childEnv -TimeoutSeconds 600
        if ($child.ExitCode -ne 0 -or -not $child.Result) { throw "Sweep child failed ($($child.ExitCode)): $($child.ErrorOutput) $($child.Output)" }
        $r = $child.Result
        $counters = (Invoke-LocalControl -Method GET -Path 'quotas').counters
        $calls = [int]$counters.AdminListDevices.allowed
        $throttled = [int]$counters.AdminListDevices.throttled + [int]$counters.ListUsers.throttled
        $ideal = $calls / $rates.USERRESOURCEREAD
        Say ('| {0} | {1} | {2} | {3:0.0} | {4:0.0} | {5:+0.0;-0.0}% | {6} | {7} | {8} | {9} | {10:0} | {11:0} |' -f `
            $n, $seeded.devices, $calls, $ideal, $r.Seconds, (100 * ($r.Seconds / $ideal - 1)), $r.Found, ($seeded.devices - $r.Found), $r.Failed, $throttled,
            ($r.PeakWs / 1MB), ($r.WsAfterImport / 1MB))
    }
    Say ''
    Say 'Ideal = AdminListDevices calls / UserResourceRead quota (ListUsers runs on its own quota, concurrently). Lost = devices in the endpoint state that the sweep did not write.'
    Say ''

    # ------------------------------------------------------------------ 2. the README's 90-day clean-up
    if ($CleanupQuotaScale -gt 0) {
        $scale = $CleanupQuotaScale
        $rates = @{
            USERLIST = 30 * $scale; USERPOOLREAD = 15 * $scale; USERRESOURCEREAD = 50 * $scale; USERRESOURCEUPDATE = 25 * $scale
            PERUSERREAD = 10 * $scale; PERUSERWRITE = 10 * $scale
        }
        foreach ($k in $rates.Keys) { $childEnv["COGNITODEVICE_QUOTA_$k"] = ([double]$rates[$k]).ToString([cultureinfo]::InvariantCulture) }
        Say ("Clean-up with Cognito's quotas x{0:0.###}: UserResourceUpdate {1:0.#}/s, UserResourceRead {2:0.#}/s, per user {3:0.#} writes/s." -f $scale, $rates.USERRESOURCEUPDATE, $rates.USERRESOURCEREAD, $rates.PERUSERWRITE)
        Say ''
    }
    $pool = (New-LocalPool -Region 'eu-west-1').poolId
    $seeded = Invoke-LocalControl -Method POST -Path 'seed' -Body @{ poolId = $pool; count = $CleanupUsers; maxDevices = $MaxDevices; seed = 23; prefix = 'c' }
    $cutoff = [DateTime]::UtcNow.AddDays(-90)
    function Get-PoolDevices([string]$PoolId) {
        $state = Invoke-LocalControl -Method GET -Path 'state'
        @($state.pools | Where-Object poolId -eq $PoolId | ForEach-Object { $_.users } | ForEach-Object { $_.devices })
    }
    $devicesBefore = Get-PoolDevices $pool
    $staleBefore = @($devicesBefore | Where-Object { [DateTime]::Parse($_.lastAuthenticatedDate, [cultureinfo]::InvariantCulture, 'RoundtripKind') -lt $cutoff })
    $null = Invoke-LocalControl -Method POST -Path 'quotas' -Body @{ scale = $scale; resetCounters = $true }
    $null = Invoke-LocalControl -Method DELETE -Path 'requests'
    $script = @"
Import-Module '$manifest'
`$cutoff = [DateTime]::Parse('$($cutoff.ToString('o'))', [cultureinfo]::InvariantCulture, 'RoundtripKind')
`$watch = [System.Diagnostics.Stopwatch]::StartNew()
Get-CognitoDevice -UserPoolId '$pool' -ProfileName cognito-local -EndpointUrl '$url' |
    Where-Object LastAuthenticatedDate -lt `$cutoff |
    Remove-CognitoDevice -ProfileName cognito-local -EndpointUrl '$url' -Confirm:`$false -ErrorAction Continue -ErrorVariable failed
`$watch.Stop()
`$p = [System.Diagnostics.Process]::GetCurrentProcess(); `$p.Refresh()
Write-TestResult @{ Seconds = `$watch.Elapsed.TotalSeconds; Failed = @(`$failed).Count; PeakWs = `$p.PeakWorkingSet64 }
"@
    $child = Invoke-ChildPowerShell -Script $script -Environment $childEnv -TimeoutSeconds 600
    if ($child.ExitCode -ne 0 -or -not $child.Result) { throw "Clean-up child failed ($($child.ExitCode)): $($child.ErrorOutput) $($child.Output)" }
    $r = $child.Result
    $devicesAfter = Get-PoolDevices $pool
    $staleLeft = @($devicesAfter | Where-Object { [DateTime]::Parse($_.lastAuthenticatedDate, [cultureinfo]::InvariantCulture, 'RoundtripKind') -lt $cutoff }).Count
    $freshLost = ($devicesBefore.Count - $staleBefore.Count) - ($devicesAfter.Count - $staleLeft)
    $forgets = @((Invoke-LocalControl -Method GET -Path 'requests').requests | Where-Object { $_.operation -eq 'AdminForgetDevice' -and $_.statusCode -eq 200 } |
        ForEach-Object { [DateTime]::Parse($_.utcTime, [cultureinfo]::InvariantCulture, 'RoundtripKind') } | Sort-Object)
    $counters = (Invoke-LocalControl -Method GET -Path 'quotas').counters
    $window = if ($forgets.Count -gt 1) { ($forgets[-1] - $forgets[0]).TotalSeconds } else { [double]::NaN }
    $rate = ($forgets.Count - 1) / $window
    $idealCleanup = [Math]::Max($staleBefore.Count / $rates.USERRESOURCEUPDATE, $CleanupUsers / $rates.USERRESOURCEREAD)
    Say '| users | devices | stale | forgotten | stale left | fresh lost | errors | pipeline (s) | ideal (s) | removal rate | of UserResourceUpdate | throttled (server) | child peak WS (MB) |'
    Say '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
    Say ('| {0} | {1} | {2} | {3} | {4} | {5} | {6} | {7:0.0} | {8:0.0} | {9:0.0}/s | {10:0.0}% | {11} | {12:0} |' -f `
        $CleanupUsers, $devicesBefore.Count, $staleBefore.Count, $forgets.Count, $staleLeft, $freshLost, $r.Failed, $r.Seconds, $idealCleanup, $rate,
        (100 * $rate / $rates.USERRESOURCEUPDATE), ([int]$counters.AdminForgetDevice.throttled + [int]$counters.AdminListDevices.throttled), ($r.PeakWs / 1MB))
    Say ''
    Say 'Removal rate = successful AdminForgetDevice answers per second between the first and the last (server clock). Ideal = max(stale / UserResourceUpdate, users / UserResourceRead).'
}
finally {
    Stop-LocalCognito
    Restore-CognitoTestEnvironment
}
if ($OutFile) { $lines | Set-Content -LiteralPath $OutFile -Encoding utf8 }
