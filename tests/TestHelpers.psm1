<#
.SYNOPSIS
    Shared helpers for the CognitoDevice Pester tests (tests/*.Tests.ps1).

.DESCRIPTION
    Finds the repository and the built module folder (output/CognitoDevice/<ModuleVersion>/), starts the
    local Cognito endpoint (tests/CognitoDevice.LocalEndpoint) as a child process on a free loopback port,
    drives its control API under /_local/ (pools, users, devices, tokens, faults, request log, reset, state)
    and isolates the AWS environment of the test session.

    Typical use in a test file:

        BeforeAll {
            Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
            Initialize-CognitoTestEnvironment
            $url = (Start-LocalCognito).Url
            Import-Module (Get-CognitoDeviceManifestPath) -Force
        }
        AfterAll {
            Stop-LocalCognito
            Restore-CognitoTestEnvironment
        }

    Windows PowerShell 5.1 and PowerShell 7.4+. Needs only the built module, the built endpoint and dotnet.
#>

Set-StrictMode -Version 2.0

# No progress bars from Invoke-RestMethod and friends in these helpers (they slow Windows PowerShell down a lot).
$ProgressPreference = 'SilentlyContinue'

# ---------------------------------------------------------------------------------------------- state

$script:LocalCognito = $null
$script:SavedEnvironment = $null
$script:TemporaryConfigFile = $null

# Every variable that could point the module or the AWS SDK at real credentials, a real region, a real
# endpoint or changed retry settings. They are saved, cleared for the test session and restored afterwards.
$script:IsolatedVariables = @(
    'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN',
    'AWS_ACCESS_KEY', 'AWS_SECRET_KEY',
    'AWS_PROFILE', 'AWS_DEFAULT_PROFILE',
    'AWS_REGION', 'AWS_DEFAULT_REGION',
    'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE',
    'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
    'AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT',
    'AWS_MAX_ATTEMPTS', 'AWS_RETRY_MODE', 'AWS_DEFAULTS_MODE',
    'AWS_EC2_METADATA_DISABLED',
    'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN', 'AWS_ROLE_SESSION_NAME',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
    'NO_PROXY', 'no_proxy',
    'COGNITODEVICE_TEST_TOKEN'
)

# ---------------------------------------------------------------------------------------------- paths

function Get-RepositoryRoot {
    <# .SYNOPSIS The repository root: the folder above tests/, holding CognitoDevice.psd1. #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    $root = Split-Path -Parent $PSScriptRoot
    if (-not (Test-Path -LiteralPath (Join-Path $root 'CognitoDevice.psd1') -PathType Leaf)) {
        throw "CognitoDevice.psd1 was not found in '$root'. TestHelpers.psm1 must stay in the tests folder of the repository."
    }
    return $root
}

function Get-CognitoDeviceModuleVersion {
    <# .SYNOPSIS ModuleVersion of the source manifest (CognitoDevice.psd1 at the repository root). #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    $manifest = Import-PowerShellDataFile -Path (Join-Path (Get-RepositoryRoot) 'CognitoDevice.psd1')
    return [string]$manifest.ModuleVersion
}

function Get-CognitoDeviceModuleBase {
    <# .SYNOPSIS The built module folder output/CognitoDevice/<ModuleVersion>/ (as laid out by dotnet build src/CognitoDevice). #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    $folder = Join-Path (Join-Path (Join-Path (Get-RepositoryRoot) 'output') 'CognitoDevice') (Get-CognitoDeviceModuleVersion)
    if (-not (Test-Path -LiteralPath (Join-Path $folder 'CognitoDevice.dll') -PathType Leaf)) {
        throw "The module is not built: '$folder' has no CognitoDevice.dll. Run 'dotnet build src/CognitoDevice' (or ./build.ps1) first."
    }
    return [System.IO.Path]::GetFullPath($folder)
}

function Get-CognitoDeviceManifestPath {
    <# .SYNOPSIS The manifest of the built module: output/CognitoDevice/<ModuleVersion>/CognitoDevice.psd1. #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    return (Join-Path (Get-CognitoDeviceModuleBase) 'CognitoDevice.psd1')
}

function Get-LocalEndpointAssemblyPath {
    <#
    .SYNOPSIS
        The built local endpoint: tests/CognitoDevice.LocalEndpoint/bin/<Configuration>/net10.0/CognitoDevice.LocalEndpoint.dll
        (the most recently built configuration wins).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    $bin = Join-Path (Join-Path (Join-Path (Get-RepositoryRoot) 'tests') 'CognitoDevice.LocalEndpoint') 'bin'
    $candidates = @()
    if (Test-Path -LiteralPath $bin) {
        $candidates = @(
            Get-ChildItem -LiteralPath $bin -Recurse -Filter 'CognitoDevice.LocalEndpoint.dll' -ErrorAction SilentlyContinue |
                Where-Object {
                    $_.Directory.Name -eq 'net10.0' -and
                    (Test-Path -LiteralPath (Join-Path $_.DirectoryName 'CognitoDevice.LocalEndpoint.runtimeconfig.json'))
                } |
                Sort-Object -Property LastWriteTimeUtc -Descending
        )
    }
    if ($candidates.Count -eq 0) {
        throw "The local Cognito endpoint is not built (no $bin/*/net10.0/CognitoDevice.LocalEndpoint.dll). Run 'dotnet build tests/CognitoDevice.LocalEndpoint' (or ./build.ps1) first."
    }
    return $candidates[0].FullName
}

function Get-PowerShellExecutable {
    <#
    .SYNOPSIS
        The executable of the PowerShell running the tests (powershell.exe for Windows PowerShell, pwsh for
        PowerShell 7), or of the named edition when it is installed; $null when it is not.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [ValidateSet('Current', 'Desktop', 'Core')]
        [string]$Edition = 'Current'
    )

    $onWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
    $currentEdition = 'Desktop'
    if ($PSVersionTable.ContainsKey('PSEdition')) { $currentEdition = [string]$PSVersionTable.PSEdition }
    if ($Edition -eq 'Current') { $Edition = $currentEdition }

    if ($Edition -eq $currentEdition) {
        # PowerShell as a .NET tool runs as `dotnet <PSHOME>/pwsh.dll`: start children the same way (see Invoke-ChildPowerShell).
        $self = (Get-Process -Id $PID).Path
        $dll = Join-Path $PSHOME 'pwsh.dll'
        if ($Edition -eq 'Core' -and [System.IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet' -and (Test-Path -LiteralPath $dll -PathType Leaf)) {
            return $dll
        }
        if ($Edition -eq 'Desktop') { $name = 'powershell.exe' }
        elseif ($onWindows) { $name = 'pwsh.exe' }
        else { $name = 'pwsh' }
        $candidate = Join-Path $PSHOME $name
        if (Test-Path -LiteralPath $candidate -PathType Leaf) { return $candidate }
    }

    if ($Edition -eq 'Desktop') {
        if (-not $onWindows) { return $null }
        $candidate = Join-Path $env:SystemRoot 'System32\WindowsPowerShell\v1.0\powershell.exe'
        if (Test-Path -LiteralPath $candidate -PathType Leaf) { return $candidate }
        return $null
    }

    $command = Get-Command -Name 'pwsh' -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($command) { return $command.Path }
    return $null
}

function Get-TestPowerShellHost {
    <#
    .SYNOPSIS
        Test cases (hashtables Name, Path) for every PowerShell edition on this machine: always the one running
        the tests, plus the other edition when it is installed (Windows PowerShell 5.1 and PowerShell 7 side by side).
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param()

    $cases = New-Object System.Collections.Generic.List[hashtable]
    foreach ($edition in @('Desktop', 'Core')) {
        $path = Get-PowerShellExecutable -Edition $edition
        if ($path) {
            $name = [System.IO.Path]::GetFileNameWithoutExtension($path)
            $cases.Add(@{ Name = $name; Edition = $edition; Path = $path })
        }
    }
    return $cases.ToArray()
}

# ---------------------------------------------------------------------------------------------- environment

function Set-ProcessVariable {
    <#
    .SYNOPSIS
        Sets an environment variable of this process, or removes it when -Value is $null. (Passing $null to
        [Environment]::SetEnvironmentVariable from PowerShell passes an empty string, which Linux keeps as a variable
        set to nothing: AWSSDK and botocore then read an empty AWS_* setting.)
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$Name,
        [AllowNull()][AllowEmptyString()]$Value # untyped: a [string] parameter would turn $null into ''
    )
    $text = if ($null -eq $Value) { [NullString]::Value } else { [string]$Value }
    [System.Environment]::SetEnvironmentVariable($Name, $text, [System.EnvironmentVariableTarget]::Process)
}

function Initialize-CognitoTestEnvironment {
    <#
    .SYNOPSIS
        Isolates the AWS environment of this process for the tests (call in BeforeAll; undo with
        Restore-CognitoTestEnvironment in AfterAll).

    .DESCRIPTION
        Saves and clears every AWS_* variable that could select credentials, a region, an endpoint or retry
        settings; sets AWS_EC2_METADATA_DISABLED=true; points AWS_SHARED_CREDENTIALS_FILE at the committed
        fake credentials tests/CognitoDevice.LocalEndpoint/local-credentials (profile cognito-local) and
        AWS_CONFIG_FILE at an empty temporary file, so no region or profile of the developer's ~/.aws is read;
        and puts the loopback addresses in NO_PROXY so a proxy variable cannot capture the local endpoint.
    #>
    [CmdletBinding()]
    param()

    if ($null -ne $script:SavedEnvironment) { return }

    $saved = @{}
    foreach ($name in $script:IsolatedVariables) {
        $saved[$name] = [System.Environment]::GetEnvironmentVariable($name, [System.EnvironmentVariableTarget]::Process)
    }
    $script:SavedEnvironment = $saved

    foreach ($name in $script:IsolatedVariables) {
        Set-ProcessVariable -Name $name -Value $null
    }

    $script:TemporaryConfigFile = Join-Path ([System.IO.Path]::GetTempPath()) ('cognitodevice-tests-config-{0}' -f [guid]::NewGuid().ToString('N'))
    [System.IO.File]::WriteAllText($script:TemporaryConfigFile, '')

    $credentials = Join-Path (Join-Path (Join-Path (Get-RepositoryRoot) 'tests') 'CognitoDevice.LocalEndpoint') 'local-credentials'
    $env:AWS_EC2_METADATA_DISABLED = 'true'
    $env:AWS_SHARED_CREDENTIALS_FILE = [System.IO.Path]::GetFullPath($credentials)
    $env:AWS_CONFIG_FILE = $script:TemporaryConfigFile

    $noProxy = '127.0.0.1,localhost,::1'
    if ($saved['NO_PROXY']) { $noProxy = $noProxy + ',' + $saved['NO_PROXY'] }
    [System.Environment]::SetEnvironmentVariable('NO_PROXY', $noProxy, [System.EnvironmentVariableTarget]::Process)
}

function Restore-CognitoTestEnvironment {
    <# .SYNOPSIS Puts back every variable Initialize-CognitoTestEnvironment changed and removes its temporary file. #>
    [CmdletBinding()]
    param()

    if ($null -eq $script:SavedEnvironment) { return }
    foreach ($name in $script:IsolatedVariables) {
        Set-ProcessVariable -Name $name -Value $script:SavedEnvironment[$name]
    }
    $script:SavedEnvironment = $null
    if ($script:TemporaryConfigFile) {
        Remove-Item -LiteralPath $script:TemporaryConfigFile -Force -ErrorAction SilentlyContinue
        $script:TemporaryConfigFile = $null
    }
}

# ---------------------------------------------------------------------------------------------- the local endpoint process

function Get-FreeTcpPort {
    <# .SYNOPSIS A TCP port that is free on 127.0.0.1 right now. #>
    [CmdletBinding()]
    [OutputType([int])]
    param()

    $listener = New-Object System.Net.Sockets.TcpListener -ArgumentList ([System.Net.IPAddress]::Loopback), 0
    try {
        $listener.Start()
        return [int]$listener.LocalEndpoint.Port
    }
    finally {
        $listener.Stop()
    }
}

function Start-LocalCognito {
    <#
    .SYNOPSIS
        Starts the local Cognito endpoint (dotnet <built CognitoDevice.LocalEndpoint.dll> --port <free port>) and
        waits until GET /_local/state answers. Returns an object with Url, Port and ProcessId.

    .DESCRIPTION
        One endpoint per test file: call it in BeforeAll and Stop-LocalCognito in AfterAll. A second call while
        it runs returns the running one. If the port is taken between choosing and binding, another port is tried.
    #>
    [CmdletBinding()]
    param(
        [ValidateRange(1, 600)]
        [int]$TimeoutSeconds = 30
    )

    if ($null -ne $script:LocalCognito -and -not $script:LocalCognito.Process.HasExited) {
        return $script:LocalCognito
    }

    $dll = Get-LocalEndpointAssemblyPath
    $dotnet = Get-Command -Name 'dotnet' -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $dotnet) { throw 'dotnet was not found on PATH; the local Cognito endpoint needs it.' }

    $problem = $null
    for ($attempt = 1; $attempt -le 3; $attempt++) {
        $port = Get-FreeTcpPort
        $url = 'http://127.0.0.1:{0}' -f $port
        $id = [guid]::NewGuid().ToString('N')
        $stdout = Join-Path ([System.IO.Path]::GetTempPath()) ('cognito-local-{0}.out.txt' -f $id)
        $stderr = Join-Path ([System.IO.Path]::GetTempPath()) ('cognito-local-{0}.err.txt' -f $id)

        # Start-Process joins the arguments with spaces: quote the path (it may contain spaces).
        $arguments = @(('"{0}"' -f $dll), '--port', [string]$port)
        $process = Start-Process -FilePath $dotnet.Path -ArgumentList $arguments -PassThru -NoNewWindow `
            -RedirectStandardOutput $stdout -RedirectStandardError $stderr
        $null = $process.Handle # keeps the exit code readable after the process ends

        $ready = $false
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        while ([DateTime]::UtcNow -lt $deadline) {
            if ($process.HasExited) { break }
            try {
                $null = Invoke-RestMethod -Uri ($url + '/_local/state') -Method Get -UseBasicParsing -TimeoutSec 2 -ErrorAction Stop
                $ready = $true
                break
            }
            catch {
                Start-Sleep -Milliseconds 200
            }
        }

        if ($ready) {
            $script:LocalCognito = [pscustomobject]@{
                Url        = $url
                Port       = $port
                ProcessId  = $process.Id
                Process    = $process
                StdoutPath = $stdout
                StderrPath = $stderr
            }
            return $script:LocalCognito
        }

        $exited = $process.HasExited
        if (-not $exited) {
            Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
            $null = $process.WaitForExit(10000)
        }
        $out = ''
        $err = ''
        if (Test-Path -LiteralPath $stdout) { $out = Get-Content -LiteralPath $stdout -Raw -ErrorAction SilentlyContinue }
        if (Test-Path -LiteralPath $stderr) { $err = Get-Content -LiteralPath $stderr -Raw -ErrorAction SilentlyContinue }
        Remove-Item -LiteralPath $stdout, $stderr -Force -ErrorAction SilentlyContinue
        if ($exited) {
            $problem = "the endpoint exited (code $($process.ExitCode)) before answering on $url. Output: $out $err"
        }
        else {
            $problem = "the endpoint did not answer GET $url/_local/state within $TimeoutSeconds s. Output: $out $err"
            break # a slow start is not a port clash: do not try again
        }
    }
    throw "Could not start the local Cognito endpoint ($dll): $problem"
}

function Stop-LocalCognito {
    <# .SYNOPSIS Stops the endpoint that Start-LocalCognito started (by its process id) and removes its output files. #>
    [CmdletBinding()]
    param()

    $endpoint = $script:LocalCognito
    $script:LocalCognito = $null
    if ($null -eq $endpoint) { return }
    try {
        if (-not $endpoint.Process.HasExited) {
            Stop-Process -Id $endpoint.ProcessId -Force -ErrorAction SilentlyContinue
            $null = $endpoint.Process.WaitForExit(10000)
        }
    }
    finally {
        Remove-Item -LiteralPath $endpoint.StdoutPath, $endpoint.StderrPath -Force -ErrorAction SilentlyContinue
    }
}

function Get-LocalCognito {
    <# .SYNOPSIS The running endpoint (Url, Port, ProcessId); throws when none was started. #>
    [CmdletBinding()]
    param()

    if ($null -eq $script:LocalCognito) { throw 'The local Cognito endpoint is not running: call Start-LocalCognito in BeforeAll.' }
    return $script:LocalCognito
}

# ---------------------------------------------------------------------------------------------- control API

function Invoke-LocalControl {
    <#
    .SYNOPSIS
        One call to the endpoint's control API: <Url>/_local/<Path>, JSON in and out (no SigV4, not rate limited,
        not recorded in the request log).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [ValidateSet('GET', 'POST', 'DELETE')]
        [string]$Method,

        [Parameter(Mandatory = $true)]
        [string]$Path,

        [hashtable]$Body
    )

    $uri = '{0}/_local/{1}' -f (Get-LocalCognito).Url, $Path.TrimStart('/')
    $request = @{
        Uri             = $uri
        Method          = $Method
        UseBasicParsing = $true
        TimeoutSec      = 30
        ErrorAction     = 'Stop'
    }
    if ($null -ne $Body) {
        # Bytes, so both editions send UTF-8 whatever their default body encoding is.
        $request['Body'] = [System.Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -InputObject $Body -Compress -Depth 5))
        $request['ContentType'] = 'application/json; charset=utf-8'
    }
    try {
        return Invoke-RestMethod @request
    }
    catch {
        $detail = ''
        if ($_.ErrorDetails -and $_.ErrorDetails.Message) { $detail = $_.ErrorDetails.Message }
        throw "Control API $Method $uri failed: $($_.Exception.Message) $detail"
    }
}

function Reset-LocalCognito {
    <# .SYNOPSIS POST /_local/reset: no pools, users, devices, tokens, faults or request log entries. #>
    [CmdletBinding()]
    param()

    $null = Invoke-LocalControl -Method POST -Path 'reset'
}

function Get-LocalCognitoState {
    <# .SYNOPSIS GET /_local/state: pools, users and their devices (never tokens or secrets). #>
    [CmdletBinding()]
    param()

    return Invoke-LocalControl -Method GET -Path 'state'
}

function New-LocalPool {
    <# .SYNOPSIS POST /_local/pools; returns {poolId, region}. A random pool ID REGION_xxxxxxxxx unless -PoolId. #>
    [CmdletBinding()]
    param(
        [string]$Region = 'eu-west-1',
        [string]$PoolId,
        [bool]$DeviceTrackingEnabled = $true
    )

    $body = @{ region = $Region; deviceTrackingEnabled = $DeviceTrackingEnabled }
    if ($PoolId) { $body['poolId'] = $PoolId }
    return Invoke-LocalControl -Method POST -Path 'pools' -Body $body
}

function New-LocalUser {
    <# .SYNOPSIS POST /_local/users; returns {poolId, username, sub, state}. #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$PoolId,
        [Parameter(Mandatory = $true)][string]$Username,
        [ValidateSet('Confirmed', 'Unconfirmed', 'ResetRequired', 'Disabled')]
        [string]$State = 'Confirmed'
    )

    return Invoke-LocalControl -Method POST -Path 'users' -Body @{ poolId = $PoolId; username = $Username; state = $State }
}

function Add-LocalDevice {
    <#
    .SYNOPSIS
        POST /_local/devices; returns the new device keys.

    .DESCRIPTION
        -Count N adds N realistic devices (names, IPs, creation and last-authentication dates spread over the last
        400 days, about 70 % remembered; deterministic for -Seed). Without -Count one device is added, created now,
        with the given -Name, -LastIp and -Remembered.
    #>
    [CmdletBinding(DefaultParameterSetName = 'One')]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][string]$PoolId,
        [Parameter(Mandatory = $true)][string]$Username,

        [Parameter(Mandatory = $true, ParameterSetName = 'Seeded')]
        [ValidateRange(0, 100000)]
        [int]$Count,

        [Parameter(ParameterSetName = 'Seeded')]
        [int]$Seed = 1,

        [Parameter(ParameterSetName = 'One')][string]$DeviceKey,
        [Parameter(ParameterSetName = 'One')][string]$Name,
        [Parameter(ParameterSetName = 'One')][string]$LastIp,
        [Parameter(ParameterSetName = 'One')][bool]$Remembered = $true
    )

    $body = @{ poolId = $PoolId; username = $Username }
    if ($PSCmdlet.ParameterSetName -eq 'Seeded') {
        $body['count'] = $Count
        $body['seed'] = $Seed
    }
    else {
        if ($DeviceKey) { $body['deviceKey'] = $DeviceKey }
        if ($Name) { $body['name'] = $Name }
        if ($LastIp) { $body['lastIp'] = $LastIp }
        $body['remembered'] = $Remembered
    }
    $answer = Invoke-LocalControl -Method POST -Path 'devices' -Body $body
    return [string[]]@($answer.deviceKeys)
}

function New-LocalAccessToken {
    <# .SYNOPSIS POST /_local/tokens; returns the access token. A negative -LifetimeSeconds gives an expired one. #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][string]$PoolId,
        [Parameter(Mandatory = $true)][string]$Username,
        [int]$LifetimeSeconds = 3600
    )

    $answer = Invoke-LocalControl -Method POST -Path 'tokens' -Body @{ poolId = $PoolId; username = $Username; lifetimeSeconds = $LifetimeSeconds }
    return [string]$answer.AccessToken
}

function Revoke-LocalAccessToken {
    <# .SYNOPSIS POST /_local/revoke (GlobalSignOut): every token issued so far for the user is revoked. #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$PoolId,
        [Parameter(Mandatory = $true)][string]$Username
    )

    $null = Invoke-LocalControl -Method POST -Path 'revoke' -Body @{ poolId = $PoolId; username = $Username }
}

function New-TestUser {
    <#
    .SYNOPSIS
        A fresh pool, a confirmed user in it, -DeviceCount seeded devices and an access token for the user.
        Returns PoolId, Username, Region, Token and DeviceKeys.
    #>
    [CmdletBinding()]
    param(
        [string]$Region = 'eu-west-1',
        [string]$Username,
        [ValidateRange(0, 100000)]
        [int]$DeviceCount = 3,
        [int]$Seed = 1
    )

    $pool = New-LocalPool -Region $Region
    if (-not $Username) { $Username = 'user-' + [guid]::NewGuid().ToString('N').Substring(0, 8) }
    $null = New-LocalUser -PoolId $pool.poolId -Username $Username
    $keys = @()
    if ($DeviceCount -gt 0) {
        $keys = @(Add-LocalDevice -PoolId $pool.poolId -Username $Username -Count $DeviceCount -Seed $Seed)
    }
    $token = New-LocalAccessToken -PoolId $pool.poolId -Username $Username
    return [pscustomobject]@{
        PoolId     = [string]$pool.poolId
        Username   = $Username
        Region     = [string]$pool.region
        Token      = $token
        DeviceKeys = [string[]]$keys
    }
}

function New-MissingDeviceKey {
    <# .SYNOPSIS A well-formed device key (REGION_guid, lowercase hex) that no device has. #>
    [CmdletBinding()]
    [OutputType([string])]
    param([string]$Region = 'eu-west-1')

    return '{0}_{1}' -f $Region, [guid]::NewGuid().ToString('D')
}

function Get-LocalDevice {
    <# .SYNOPSIS The user's devices as the endpoint stores them (deviceKey, deviceName, rememberedStatus), from GET /_local/state. #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$PoolId,
        [Parameter(Mandatory = $true)][string]$Username
    )

    $state = Get-LocalCognitoState
    foreach ($pool in @($state.pools)) {
        if ($pool.poolId -cne $PoolId) { continue }
        foreach ($user in @($pool.users)) {
            if ($user.username -cne $Username) { continue }
            return @($user.devices)
        }
    }
    throw "The local endpoint has no user '$Username' in pool '$PoolId'."
}

function Get-LocalDeviceKey {
    <# .SYNOPSIS The keys of the user's devices that the endpoint still stores. #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][string]$PoolId,
        [Parameter(Mandatory = $true)][string]$Username
    )

    return [string[]]@(Get-LocalDevice -PoolId $PoolId -Username $Username | ForEach-Object { [string]$_.deviceKey })
}

function Add-LocalFault {
    <#
    .SYNOPSIS
        POST /_local/faults: the next -Count requests matching -Operation and -DeviceKey get the fault.

    .DESCRIPTION
        Kinds: Throttle (400 TooManyRequestsException), InternalError (500), Status (-Status, -ResponseBody,
        -ResponseContentType), Delay (-DelayMs, then normal), DropBeforeProcessing, DropAfterProcessing,
        TruncatedBody, GarbageBody.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [ValidateSet('Throttle', 'InternalError', 'Status', 'Delay', 'DropBeforeProcessing', 'DropAfterProcessing', 'TruncatedBody', 'GarbageBody')]
        [string]$Kind,

        [ValidateRange(1, 1000)]
        [int]$Count = 1,

        [string]$Operation,
        [string]$DeviceKey,
        [int]$Status,
        [string]$ResponseBody,
        [string]$ResponseContentType,
        [int]$DelayMs
    )

    $body = @{ kind = $Kind; count = $Count }
    if ($Operation) { $body['operation'] = $Operation }
    if ($DeviceKey) { $body['deviceKey'] = $DeviceKey }
    if ($PSBoundParameters.ContainsKey('Status')) { $body['status'] = $Status }
    if ($PSBoundParameters.ContainsKey('ResponseBody')) { $body['body'] = $ResponseBody }
    if ($PSBoundParameters.ContainsKey('ResponseContentType')) { $body['contentType'] = $ResponseContentType }
    if ($PSBoundParameters.ContainsKey('DelayMs')) { $body['delayMs'] = $DelayMs }
    return Invoke-LocalControl -Method POST -Path 'faults' -Body $body
}

function Clear-LocalFault {
    <# .SYNOPSIS DELETE /_local/faults. #>
    [CmdletBinding()]
    param()

    $null = Invoke-LocalControl -Method DELETE -Path 'faults'
}

function Get-LocalRequest {
    <#
    .SYNOPSIS
        The endpoint's request log (GET /_local/requests), oldest first, optionally only some operations.
        Each entry: sequence, operation, statusCode, errorCode, fault, headers, body (access tokens redacted).
    #>
    [CmdletBinding()]
    param(
        [string[]]$Operation
    )

    $log = Invoke-LocalControl -Method GET -Path 'requests'
    $requests = @($log.requests)
    if ($Operation) {
        $requests = @($requests | Where-Object { $Operation -ccontains $_.operation })
    }
    return $requests
}

function Clear-LocalRequest {
    <# .SYNOPSIS DELETE /_local/requests. #>
    [CmdletBinding()]
    param()

    $null = Invoke-LocalControl -Method DELETE -Path 'requests'
}

# ---------------------------------------------------------------------------------------------- assertions and child processes

function ConvertTo-SearchableText {
    <#
    .SYNOPSIS
        Everything a person or a log could see of some output: each object as PowerShell shows it (Out-String),
        its string form, and for error records the message, the exception chain and every property.
        Used to prove that a secret appears in none of the streams.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(ValueFromPipeline = $true)]
        [AllowNull()]
        [object]$InputObject
    )

    begin {
        $builder = New-Object System.Text.StringBuilder
    }
    process {
        if ($null -eq $InputObject) { return }
        $null = $builder.AppendLine(($InputObject | Out-String -Width 4096))
        $null = $builder.AppendLine([string]$InputObject)
        if ($InputObject -is [System.Management.Automation.ErrorRecord]) {
            $null = $builder.AppendLine(($InputObject | Format-List -Property * -Force | Out-String -Width 4096))
            if ($InputObject.ErrorDetails) {
                $null = $builder.AppendLine([string]$InputObject.ErrorDetails.Message)
                $null = $builder.AppendLine([string]$InputObject.ErrorDetails.RecommendedAction)
            }
            $exception = $InputObject.Exception
            while ($null -ne $exception) {
                $null = $builder.AppendLine($exception.ToString())
                $null = $builder.AppendLine(($exception | Format-List -Property * -Force | Out-String -Width 4096))
                $exception = $exception.InnerException
            }
        }
        elseif ($InputObject -is [System.Management.Automation.InformationalRecord]) {
            $null = $builder.AppendLine($InputObject.Message)
        }
        elseif ($InputObject -is [System.Management.Automation.InformationRecord]) {
            $null = $builder.AppendLine([string]$InputObject.MessageData)
        }
        else {
            $null = $builder.AppendLine(($InputObject | Format-List -Property * | Out-String -Width 4096))
        }
    }
    end {
        return $builder.ToString()
    }
}

function Format-KeySet {
    <#
    .SYNOPSIS
        The piped strings, sorted ordinally and joined with ',': compare two sets of device keys or names with
        Should -BeExactly, whatever order they came in. An empty or null input gives ''.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(ValueFromPipeline = $true)]
        [AllowNull()]
        [AllowEmptyString()]
        [string]$InputObject
    )

    begin {
        $items = New-Object System.Collections.Generic.List[string]
    }
    process {
        if ($null -ne $InputObject) { $items.Add($InputObject) }
    }
    end {
        # Ordinal order: the same on every culture and edition (Sort-Object would compare linguistically).
        [string[]]$sorted = $items.ToArray()
        [System.Array]::Sort($sorted, [System.StringComparer]::Ordinal)
        return ($sorted -join ',')
    }
}

function Remove-AnsiEscape {
    <# .SYNOPSIS The text without ANSI escape sequences (PowerShell 7 may colour table headers). #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Text)

    return [regex]::Replace($Text, '\x1b\[[0-9;?]*[A-Za-z]', '')
}

function ConvertTo-PSLiteral {
    <# .SYNOPSIS A single-quoted PowerShell string literal for a value, to build child-process scripts. #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Value)

    return "'" + $Value.Replace("'", "''") + "'"
}

function Resolve-ChildScript {
    <#
    .SYNOPSIS
        Fills the {{NAME}} placeholders of a child script with single-quoted PowerShell literals: {{MANIFEST}} is the
        built module's manifest and {{URL}} the running local endpoint, unless -Values names them; -Values adds others.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][string]$Script,
        [hashtable]$Values = @{}
    )
    $all = @{ MANIFEST = (Get-CognitoDeviceManifestPath) }
    if ($null -ne $script:LocalCognito) { $all['URL'] = $script:LocalCognito.Url }
    foreach ($entry in $Values.GetEnumerator()) { $all[$entry.Key] = $entry.Value }
    foreach ($entry in $all.GetEnumerator()) {
        $Script = $Script.Replace('{{' + $entry.Key + '}}', (ConvertTo-PSLiteral ([string]$entry.Value)))
    }
    return $Script
}

function ConvertTo-NormalPath {
    <# .SYNOPSIS A full path without a trailing separator, for comparing folders. #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory = $true)][string]$Path)
    return [System.IO.Path]::GetFullPath($Path).TrimEnd([System.IO.Path]::DirectorySeparatorChar, [System.IO.Path]::AltDirectorySeparatorChar)
}

function Invoke-ChildPowerShell {
    <#
    .SYNOPSIS
        Runs a script in a fresh PowerShell process (-NoProfile -NonInteractive -EncodedCommand) and returns
        ExitCode, Output, ErrorOutput and Result.

    .DESCRIPTION
        The script can call Write-TestResult <value> once: the value comes back, as JSON, in Result. The child
        inherits this process's environment; -Environment adds variables for the child only (for example the
        access token, so it never appears on a command line). Non-interactive, so a confirmation prompt is an
        error there, never a hang. A child that outlives -TimeoutSeconds is stopped (by its id) and reported.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string]$Script,

        [string]$Executable = (Get-PowerShellExecutable),

        [hashtable]$Environment = @{},

        [ValidateRange(1, 600)]
        [int]$TimeoutSeconds = 120
    )

    if (-not $Executable) { throw 'No PowerShell executable to start.' }

    $prelude = @'
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
# Loaded now, so that a script that turns module autoloading off can still report its result.
Import-Module -Name Microsoft.PowerShell.Utility
function Write-TestResult {
    param($Value)
    [Console]::Out.WriteLine('RESULT:' + (ConvertTo-Json -InputObject $Value -Compress -Depth 6))
}
'@
    $full = $prelude + [Environment]::NewLine + $Script + [Environment]::NewLine + 'exit 0' + [Environment]::NewLine
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($full))

    $id = [guid]::NewGuid().ToString('N')
    $stdout = Join-Path ([System.IO.Path]::GetTempPath()) ('cognitodevice-child-{0}.out.txt' -f $id)
    $stderr = Join-Path ([System.IO.Path]::GetTempPath()) ('cognitodevice-child-{0}.err.txt' -f $id)

    $previous = @{}
    foreach ($name in $Environment.Keys) {
        $previous[$name] = [System.Environment]::GetEnvironmentVariable($name, [System.EnvironmentVariableTarget]::Process)
        [System.Environment]::SetEnvironmentVariable($name, [string]$Environment[$name], [System.EnvironmentVariableTarget]::Process)
    }
    try {
        $file = $Executable
        $arguments = @('-NoProfile', '-NonInteractive', '-OutputFormat', 'Text', '-EncodedCommand', $encoded)
        if ($Executable.EndsWith('.dll', [System.StringComparison]::OrdinalIgnoreCase)) {
            $file = (Get-Process -Id $PID).Path # dotnet, running PowerShell as a .NET tool
            $arguments = @($Executable) + $arguments
        }
        $process = Start-Process -FilePath $file -ArgumentList $arguments `
            -PassThru -NoNewWindow -RedirectStandardOutput $stdout -RedirectStandardError $stderr
        $null = $process.Handle
    }
    finally {
        foreach ($name in $previous.Keys) {
            Set-ProcessVariable -Name $name -Value $previous[$name]
        }
    }

    try {
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
            $null = $process.WaitForExit(10000)
            throw "The child PowerShell ($Executable) did not finish within $TimeoutSeconds s and was stopped."
        }
        $process.WaitForExit() # flushes the redirected output

        $output = ''
        $errorOutput = ''
        if (Test-Path -LiteralPath $stdout) { $output = [string](Get-Content -LiteralPath $stdout -Raw) }
        if (Test-Path -LiteralPath $stderr) { $errorOutput = [string](Get-Content -LiteralPath $stderr -Raw) }

        $result = $null
        foreach ($line in ($output -split "`r?`n")) {
            if ($line.StartsWith('RESULT:')) { $result = ConvertFrom-Json -InputObject $line.Substring(7) }
        }
        return [pscustomobject]@{
            ExitCode    = $process.ExitCode
            Output      = $output
            ErrorOutput = $errorOutput
            Result      = $result
        }
    }
    finally {
        Remove-Item -LiteralPath $stdout, $stderr -Force -ErrorAction SilentlyContinue
    }
}

Export-ModuleMember -Function @(
    'Set-ProcessVariable'
    'Get-RepositoryRoot'
    'Get-CognitoDeviceModuleVersion'
    'Get-CognitoDeviceModuleBase'
    'Get-CognitoDeviceManifestPath'
    'Get-LocalEndpointAssemblyPath'
    'Get-PowerShellExecutable'
    'Get-TestPowerShellHost'
    'Initialize-CognitoTestEnvironment'
    'Restore-CognitoTestEnvironment'
    'Get-FreeTcpPort'
    'Start-LocalCognito'
    'Stop-LocalCognito'
    'Get-LocalCognito'
    'Invoke-LocalControl'
    'Reset-LocalCognito'
    'Get-LocalCognitoState'
    'New-LocalPool'
    'New-LocalUser'
    'Add-LocalDevice'
    'New-LocalAccessToken'
    'Revoke-LocalAccessToken'
    'New-TestUser'
    'New-MissingDeviceKey'
    'Get-LocalDevice'
    'Get-LocalDeviceKey'
    'Add-LocalFault'
    'Clear-LocalFault'
    'Get-LocalRequest'
    'Clear-LocalRequest'
    'ConvertTo-SearchableText'
    'Format-KeySet'
    'Remove-AnsiEscape'
    'ConvertTo-PSLiteral'
    'Invoke-ChildPowerShell'
    'Resolve-ChildScript'
    'ConvertTo-NormalPath'
)
