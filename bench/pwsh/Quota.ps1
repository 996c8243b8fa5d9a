<#
.SYNOPSIS
    The benchmark's quota run through the cmdlet (started by bench/ in a fresh pwsh, never by hand): pipes every key
    of -KeysFile into Remove-CognitoDevice, as a runbook would, with AWS_RETRY_MODE and AWS_MAX_ATTEMPTS from the
    environment, and prints one line "BENCH:{json}" with the outcome as the cmdlet reports it: -PassThru objects
    (removed), error records by error id, and the retries and retry-quota refusals from the verbose stream.
    The access token comes from the environment variable COGNITODEVICE_BENCH_TOKEN.
#>
param(
    [Parameter(Mandatory = $true)][string]$ModuleManifest,
    [Parameter(Mandatory = $true)][string]$Url,
    [Parameter(Mandatory = $true)][string]$KeysFile
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModuleManifest
$keys = [System.IO.File]::ReadAllLines($KeysFile)
$token = $env:COGNITODEVICE_BENCH_TOKEN

$removed = 0
$retries = 0
$refusals = 0
$firstRefusal = $null
$errs = $null
$clock = [System.Diagnostics.Stopwatch]::StartNew()
$keys | Remove-CognitoDevice -AccessToken $token -EndpointUrl $Url -Confirm:$false -PassThru -Verbose -ErrorAction SilentlyContinue -ErrorVariable errs 4>&1 |
    ForEach-Object {
        if ($_ -is [System.Management.Automation.VerboseRecord]) {
            if ($_.Message.Contains('; retrying in ')) { $retries++ }
            if ($_.Message.Contains('the retry quota is used up')) {
                $refusals++
                if ($null -eq $firstRefusal) { $firstRefusal = $clock.Elapsed.TotalSeconds }
            }
        }
        else {
            $removed++
        }
    }
$wall = $clock.Elapsed.TotalSeconds

$byCode = @{}
foreach ($e in @($errs)) {
    $code = ([string]$e.FullyQualifiedErrorId).Split(',')[0]
    if ($byCode.ContainsKey($code)) { $byCode[$code]++ } else { $byCode[$code] = 1 }
}
$errorCount = @($errs).Count
$result = @{
    devices                       = $keys.Length
    removed                       = $removed
    errors                        = $byCode
    notAttempted                  = $keys.Length - $removed - $errorCount
    wallSeconds                   = $wall
    retries                       = $retries
    retryQuotaRefusals            = $refusals
    firstRetryQuotaRefusalSeconds = $firstRefusal
}
[Console]::Out.WriteLine('BENCH:' + (ConvertTo-Json -InputObject $result -Compress -Depth 4))
