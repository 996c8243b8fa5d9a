<#
.SYNOPSIS
    The benchmark's long-lived PowerShell session (started by bench/, never by hand): imports the built module once,
    then runs one scenario per JSON line read from stdin and answers one line "BENCH:{json}" on stdout.

.DESCRIPTION
    Each scenario is the command a user types, timed with a Stopwatch around the statement only (the keys are read
    from a file before the clock starts). CPU is this process's TotalProcessorTime around the same statement, so it
    includes every thread of the pwsh process (pipeline thread, thread pool, GC). Peak memory is the kernel's VmHWM
    after resetting it (/proc/self/clear_refs), so it is the peak of that statement alone.

    The access token comes in the command line of stdin, never on a command line or in any output.
#>
param(
    [Parameter(Mandatory = $true)]
    [string]$ModuleManifest
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

Import-Module $ModuleManifest

function Get-CpuMilliseconds {
    $p = [System.Diagnostics.Process]::GetCurrentProcess()
    try { return $p.TotalProcessorTime.TotalMilliseconds } finally { $p.Dispose() }
}

function Reset-PeakMemory {
    # Linux: writing 5 to clear_refs resets the peak resident set size (VmHWM) to the current one.
    try { [System.IO.File]::WriteAllText('/proc/self/clear_refs', '5'); return $true } catch { return $false }
}

function Get-PeakMemoryKiB {
    try {
        foreach ($line in [System.IO.File]::ReadAllLines('/proc/self/status')) {
            if ($line.StartsWith('VmHWM:')) { return [long](($line.Substring(6).Trim() -split '\s+')[0]) }
        }
    }
    catch { }
    $p = [System.Diagnostics.Process]::GetCurrentProcess()
    try { return [long]($p.PeakWorkingSet64 / 1024) } finally { $p.Dispose() }
}

function Write-Answer([hashtable]$Value) {
    [Console]::Out.WriteLine('BENCH:' + (ConvertTo-Json -InputObject $Value -Compress -Depth 4))
    [Console]::Out.Flush()
}

Write-Answer @{ ready = $true; psVersion = $PSVersionTable.PSVersion.ToString(); psHome = $PSHOME; pid = $PID }

while ($null -ne ($line = [Console]::In.ReadLine())) {
    if ($line.Length -eq 0) { continue }
    $c = ConvertFrom-Json -InputObject $line
    if ($c.scenario -eq 'exit') { break }
    try {
        $keys = [string[]]@()
        if ($c.keysFile) { $keys = [System.IO.File]::ReadAllLines($c.keysFile) }
        $t = [string]$c.token
        $u = [string]$c.url
        $count = $keys.Length
        $errorsBefore = $Error.Count
        [GC]::Collect()
        [GC]::WaitForPendingFinalizers()
        $peakReset = Reset-PeakMemory
        $rssBefore = Get-PeakMemoryKiB
        $cpu0 = Get-CpuMilliseconds
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        switch ([string]$c.scenario) {
            'pipeline' {
                $keys | Remove-CognitoDevice -AccessToken $t -EndpointUrl $u -Confirm:$false
            }
            'array' {
                Remove-CognitoDevice -DeviceKey $keys -AccessToken $t -EndpointUrl $u -Confirm:$false
            }
            'foreach' {
                foreach ($k in $keys) { Remove-CognitoDevice -DeviceKey $k -AccessToken $t -EndpointUrl $u -Confirm:$false }
            }
            'admin' {
                $keys | Remove-CognitoDevice -UserPoolId $c.poolId -Username $c.username -ProfileName $c.profile -EndpointUrl $u -Confirm:$false
            }
            'whatif' {
                # No HTTP at all: the cost of PowerShell's binding, ShouldProcess and the cmdlet's own code.
                $keys | Remove-CognitoDevice -AccessToken $t -EndpointUrl $u -WhatIf *> $null
            }
            'list' {
                # Streamed to the cheapest consumer: nothing keeps the devices.
                Get-CognitoDevice -AccessToken $t -EndpointUrl $u | Out-Null
                $count = -1
            }
            'listcount' {
                # Streamed, counted: Measure-Object keeps a count, not the devices.
                $count = (Get-CognitoDevice -AccessToken $t -EndpointUrl $u | Measure-Object).Count
            }
            'first' {
                $count = @(Get-CognitoDevice -AccessToken $t -EndpointUrl $u | Select-Object -First 1).Count
            }
            default { throw "unknown scenario '$($c.scenario)'" }
        }
        $clock.Stop()
        $cpu1 = Get-CpuMilliseconds
        Write-Answer @{
            scenario    = [string]$c.scenario
            count       = $count
            wallMs      = $clock.Elapsed.TotalMilliseconds
            cpuMs       = $cpu1 - $cpu0
            peakKiB     = Get-PeakMemoryKiB
            startKiB    = $rssBefore
            peakReset   = $peakReset
            errors      = $Error.Count - $errorsBefore
        }
    }
    catch {
        Write-Answer @{ scenario = [string]$c.scenario; failure = ($_.FullyQualifiedErrorId + ': ' + $_.Exception.Message) }
    }
}
