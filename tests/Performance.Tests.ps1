#Requires -Version 5.1
<#
    Guards against a class of performance bug users feel, black-box: the built module (output/CognitoDevice/<version>/)
    against the local Cognito endpoint (tests/CognitoDevice.LocalEndpoint), started once for this file.

    These are order-of-magnitude guards, not timing goals (bench/ measures those): a call on loopback takes well under
    a millisecond, so 10 ms per device only fails when something waits on a timer or a poll, as the pipeline pump once
    did (50 ms per device). Every It sets up its own pool, user, devices and token after a reset of the endpoint.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Initialize-CognitoTestEnvironment
    $url = (Start-LocalCognito).Url
    Import-Module (Get-CognitoDeviceManifestPath) -Force
    $profileName = 'cognito-local'

    # The module paces itself to Cognito's quotas (25 writes a second by default): a deliberate wait, not the per-call
    # waste this guards against, so pacing is off here, as an account with raised quotas would set it.
    $quotaVariables = 'USERLIST', 'USERPOOLREAD', 'USERRESOURCEREAD', 'USERRESOURCEUPDATE', 'PERUSERREAD', 'PERUSERWRITE' |
        ForEach-Object { 'COGNITODEVICE_QUOTA_' + $_ }
    foreach ($name in $quotaVariables) { Set-Item -Path "env:$name" -Value '0' }

    # The guard: average milliseconds per device over the whole pipeline, far above what a call costs on loopback.
    $guardMsPerDevice = 10
    $deviceCount = 200

    function Get-RequestBody {
        # The JSON body of a logged request as an object (access tokens are already redacted by the endpoint).
        param([Parameter(Mandatory = $true)]$Request)
        return ($Request.body | ConvertFrom-Json)
    }

    function Initialize-WarmModule {
        # One removal through each parameter set first, so the guard times the per-device cost, not the first
        # call of the session (type loading, JIT, the first connection).
        $warm = New-TestUser -DeviceCount 2
        Remove-CognitoDevice -DeviceKey $warm.DeviceKeys[0] -AccessToken $warm.Token -EndpointUrl $url -Confirm:$false
        Remove-CognitoDevice -DeviceKey $warm.DeviceKeys[1] -UserPoolId $warm.PoolId -Username $warm.Username -ProfileName $profileName -EndpointUrl $url -Confirm:$false
        Clear-LocalRequest
    }
}

AfterAll {
    foreach ($name in $quotaVariables) { Remove-Item -Path "env:$name" -ErrorAction SilentlyContinue }
    Stop-LocalCognito
    Restore-CognitoTestEnvironment
}

Describe 'Performance' {
    BeforeEach {
        Reset-LocalCognito
    }

    Context 'Removing devices in a pipeline' {
        It 'forgets 200 piped keys with the access token at under 10 ms per device on average' {
            Initialize-WarmModule
            $user = New-TestUser -DeviceCount $deviceCount
            $keys = $user.DeviceKeys

            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $keys | Remove-CognitoDevice -AccessToken $user.Token -EndpointUrl $url -Confirm:$false
            $clock.Stop()

            @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 0
            @(Get-LocalRequest -Operation 'ForgetDevice').Count | Should -Be $deviceCount
            $msPerDevice = $clock.Elapsed.TotalMilliseconds / $deviceCount
            $msPerDevice | Should -BeLessThan $guardMsPerDevice -Because ('{0} piped removals took {1:N0} ms' -f $deviceCount, $clock.Elapsed.TotalMilliseconds)
        }

        It 'forgets 200 piped keys with -UserPoolId -Username (signed) at under 10 ms per device on average' {
            Initialize-WarmModule
            $user = New-TestUser -DeviceCount $deviceCount
            $keys = $user.DeviceKeys

            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $keys | Remove-CognitoDevice -UserPoolId $user.PoolId -Username $user.Username -ProfileName $profileName -EndpointUrl $url -Confirm:$false
            $clock.Stop()

            @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 0
            @(Get-LocalRequest -Operation 'AdminForgetDevice').Count | Should -Be $deviceCount
            $msPerDevice = $clock.Elapsed.TotalMilliseconds / $deviceCount
            $msPerDevice | Should -BeLessThan $guardMsPerDevice -Because ('{0} piped removals took {1:N0} ms' -f $deviceCount, $clock.Elapsed.TotalMilliseconds)
        }

        It 'forgets 200 keys given to -DeviceKey in one call at under 10 ms per device on average' {
            Initialize-WarmModule
            $user = New-TestUser -DeviceCount $deviceCount

            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            Remove-CognitoDevice -DeviceKey $user.DeviceKeys -AccessToken $user.Token -EndpointUrl $url -Confirm:$false
            $clock.Stop()

            @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 0
            @(Get-LocalRequest -Operation 'ForgetDevice').Count | Should -Be $deviceCount
            $msPerDevice = $clock.Elapsed.TotalMilliseconds / $deviceCount
            $msPerDevice | Should -BeLessThan $guardMsPerDevice -Because ('{0} removals took {1:N0} ms' -f $deviceCount, $clock.Elapsed.TotalMilliseconds)
        }
    }

    Context 'Listing devices' {
        It 'asks for 60 devices a page, the most Cognito allows, when -PageSize is not given' {
            $user = New-TestUser -DeviceCount 121

            $devices = @(Get-CognitoDevice -AccessToken $user.Token -EndpointUrl $url)

            $devices.Count | Should -Be 121
            $calls = @(Get-LocalRequest -Operation 'ListDevices')
            $calls.Count | Should -Be 3
            foreach ($call in $calls) {
                (Get-RequestBody $call).Limit | Should -Be 60
            }
        }

        It 'asks for 60 devices a page with -UserPoolId -Username (AdminListDevices) when -PageSize is not given' {
            $user = New-TestUser -DeviceCount 61

            $devices = @(Get-CognitoDevice -UserPoolId $user.PoolId -Username $user.Username -ProfileName $profileName -EndpointUrl $url)

            $devices.Count | Should -Be 61
            $calls = @(Get-LocalRequest -Operation 'AdminListDevices')
            $calls.Count | Should -Be 2
            foreach ($call in $calls) {
                (Get-RequestBody $call).Limit | Should -Be 60
            }
        }

        It 'lists 600 devices at under 10 ms per page on average' {
            $user = New-TestUser -DeviceCount 600
            $null = @(Get-CognitoDevice -AccessToken $user.Token -EndpointUrl $url -PageSize 60)
            Clear-LocalRequest

            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $devices = @(Get-CognitoDevice -AccessToken $user.Token -EndpointUrl $url -PageSize 10)
            $clock.Stop()

            $devices.Count | Should -Be 600
            $pages = @(Get-LocalRequest -Operation 'ListDevices').Count
            $pages | Should -BeGreaterOrEqual 60
            $clock.Elapsed.TotalMilliseconds / $pages | Should -BeLessThan $guardMsPerDevice -Because ('{0} pages took {1:N0} ms' -f $pages, $clock.Elapsed.TotalMilliseconds)
        }
    }
}
