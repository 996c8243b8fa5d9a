#Requires -Version 5.1
<#
    Pool-wide sweeps, black-box: Get-CognitoDevice -UserPoolId without -Username (ListUsers, then AdminListDevices per
    user) and the README's 90-day clean-up pipeline, against the local Cognito endpoint with Cognito's quotas, faults
    and latency. Every It resets the endpoint and builds its own pool, so no It depends on another.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Initialize-CognitoTestEnvironment
    $url = (Start-LocalCognito).Url
    Import-Module (Get-CognitoDeviceManifestPath) -Force
    $profileName = 'cognito-local'
    $getId = 'CognitoDevice.Commands.GetCognitoDeviceCommand'

    # Variables an It may set; restored after each It.
    $script:sweepVariables = @('AWS_MAX_ATTEMPTS', 'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER',
        'COGNITODEVICE_QUOTA_USERLIST', 'COGNITODEVICE_QUOTA_USERRESOURCEREAD', 'COGNITODEVICE_QUOTA_USERRESOURCEUPDATE')

    function New-SweepPool {
        <# A pool of users u000.. with -Users users; user i gets the device ages (days since last sign-in) of $Ages[i % $Ages.Count]. #>
        param([int]$Users, [object[]]$Ages = @(@(), @(5), @(120, 10), @(95, 89, 400)))
        $pool = (New-LocalPool -Region 'eu-west-1').poolId
        $stale = [System.Collections.Generic.List[string]]::new()
        $fresh = [System.Collections.Generic.List[string]]::new()
        $order = [System.Collections.Generic.List[string]]::new()
        for ($i = 0; $i -lt $Users; $i++) {
            $name = 'u{0:000}' -f $i
            $null = Invoke-LocalControl -Method POST -Path 'users' -Body @{ poolId = $pool; username = $name; email = "$name@example.com" }
            $keys = foreach ($age in @($Ages[$i % $Ages.Count])) {
                $key = (Invoke-LocalControl -Method POST -Path 'devices' -Body @{ poolId = $pool; username = $name; lastAuthenticatedDaysAgo = $age }).deviceKeys[0]
                if ($age -gt 90) { $stale.Add($key) } else { $fresh.Add($key) }
                $key
            }
            # The endpoint lists a user's devices in ordinal key order.
            foreach ($k in @($keys | Sort-Object { $_ } -CaseSensitive)) { if ($k) { $order.Add("$name/$k") } }
        }
        [pscustomobject]@{ PoolId = $pool; Stale = $stale.ToArray(); Fresh = $fresh.ToArray(); Order = $order.ToArray() }
    }

    function Get-PoolDeviceKey {
        param([string]$PoolId)
        $state = Get-LocalCognitoState
        @($state.pools | Where-Object poolId -eq $PoolId | ForEach-Object { $_.users } | ForEach-Object { $_.devices } | ForEach-Object { [string]$_.deviceKey })
    }

    function Set-LocalQuota {
        param([hashtable]$Body = @{})
        $null = Invoke-LocalControl -Method POST -Path 'quotas' -Body $Body
    }

    function Get-ResumeToken([string]$Text) {
        if ($Text -match '-ResumeToken (\S+)') { return $Matches[1] }
        return $null
    }

    # The README's runbook block under "Pool-wide sweeps", run as written.
    $readme = Get-Content -Raw -LiteralPath (Join-Path (Get-RepositoryRoot) 'README.md')
    $match = [regex]::Match($readme, '<!-- runbook: pool-wide-clean-up -->\s*```powershell\r?\n(?<code>.*?)```', 'Singleline')
    $script:runbook = $match.Groups['code'].Value
}

AfterAll {
    Stop-LocalCognito
    Restore-CognitoTestEnvironment
}

Describe 'Get-CognitoDevice -UserPoolId (pool-wide sweep)' {
    BeforeEach {
        Reset-LocalCognito
        $saved = @{}
        foreach ($name in $script:sweepVariables) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
    }

    AfterEach {
        foreach ($name in $script:sweepVariables) { Set-ProcessVariable -Name $name -Value $saved[$name] }
    }

    Context 'Binding' {
        It 'binds the AdminPool set for -UserPoolId without -Username' {
            $command = Get-Command Get-CognitoDevice
            $set = $command.ParameterSets | Where-Object Name -eq 'AdminPool'
            @($set.Parameters | Where-Object IsMandatory | ForEach-Object Name) | Should -Be @('UserPoolId')
            @($set.Parameters.Name) | Should -Contain 'UserFilter'
            @($set.Parameters.Name) | Should -Contain 'ResumeToken'
        }

        It 'rejects -UserFilter together with -Username (no parameter set has both)' {
            { Get-CognitoDevice -UserPoolId 'eu-west-1_AbCdEf123' -Username 'alice' -UserFilter 'status = "Enabled"' -ProfileName $profileName -EndpointUrl $url -ErrorAction Stop } |
                Should -Throw -ErrorId "AmbiguousParameterSet,$getId"
        }

        It 'rejects -PageSize in a sweep (pages of ListUsers and AdminListDevices are always 60)' {
            { Get-CognitoDevice -UserPoolId 'eu-west-1_AbCdEf123' -PageSize 5 -ResumeToken 'x' -ProfileName $profileName -EndpointUrl $url -ErrorAction Stop } |
                Should -Throw -ErrorId "AmbiguousParameterSet,$getId"
        }

        It 'ends with ResumeTokenInvalid for a token that no sweep of this pool printed, before any request' {
            $pool = New-SweepPool -Users 2
            Clear-LocalRequest
            { Get-CognitoDevice -UserPoolId $pool.PoolId -ResumeToken 'cdsweep1.bm90IGEgdG9rZW4' -ProfileName $profileName -EndpointUrl $url -ErrorAction Stop } |
                Should -Throw -ErrorId "ResumeTokenInvalid,$getId"
            @(Get-LocalRequest).Count | Should -Be 0
        }
    }

    Context 'Quota overrides' {
        It 'ends with QuotaInvalid when a COGNITODEVICE_QUOTA_ variable is not a rate, before any request' {
            $pool = New-SweepPool -Users 1
            Clear-LocalRequest
            $env:COGNITODEVICE_QUOTA_USERRESOURCEREAD = 'fast'
            { Get-CognitoDevice -UserPoolId $pool.PoolId -ProfileName $profileName -EndpointUrl $url -ErrorAction Stop } |
                Should -Throw -ErrorId "QuotaInvalid,$getId"
            @(Get-LocalRequest).Count | Should -Be 0
        }

        It 'paces to the COGNITODEVICE_QUOTA_ rate of the account, so the server throttles nothing' {
            $pool = New-SweepPool -Users 8
            # The account allows 3 AdminListDevices a second; without the override the module would send at 50/s.
            Set-LocalQuota @{ categories = @{ UserResourceRead = 3 }; perUserLimits = $false }
            $env:COGNITODEVICE_QUOTA_USERRESOURCEREAD = '3'
            $env:AWS_MAX_ATTEMPTS = '1'

            $devices = @(Get-CognitoDevice -UserPoolId $pool.PoolId -ProfileName $profileName -EndpointUrl $url -ErrorAction SilentlyContinue -ErrorVariable failed)

            @($failed | ForEach-Object FullyQualifiedErrorId) | Should -BeNullOrEmpty
            @($devices).Count | Should -Be ($pool.Stale.Count + $pool.Fresh.Count)
            (Invoke-LocalControl -Method GET -Path 'quotas').counters.AdminListDevices.throttled | Should -Be 0
        }
    }

    Context 'Sweep' {
        It 'writes every device of every user, each user''s devices together in ListUsers order, with Username and UserPoolId' {
            $pool = New-SweepPool -Users 70

            $devices = @(Get-CognitoDevice -UserPoolId $pool.PoolId -ProfileName $profileName -EndpointUrl $url)

            @($devices | ForEach-Object { "$($_.Username)/$($_.DeviceKey)" }) | Should -Be $pool.Order
            @($devices | Where-Object UserPoolId -cne $pool.PoolId).Count | Should -Be 0
            @($devices | Where-Object Region -cne 'eu-west-1').Count | Should -Be 0
            @(Get-LocalRequest -Operation 'ListUsers').Count | Should -Be 2 -Because '70 users are two pages of 60'
            @(Get-LocalRequest -Operation 'AdminListDevices').Count | Should -Be 70
        }

        It 'passes -UserFilter to ListUsers as Cognito''s filter' {
            $pool = New-SweepPool -Users 30
            $null = Invoke-LocalControl -Method POST -Path 'users' -Body @{ poolId = $pool.PoolId; username = 'z-disabled'; state = 'Disabled' }
            $null = Add-LocalDevice -PoolId $pool.PoolId -Username 'z-disabled' -Name 'Old phone'

            $devices = @(Get-CognitoDevice -UserPoolId $pool.PoolId -UserFilter 'status = "Disabled"' -ProfileName $profileName -EndpointUrl $url)

            @($devices.Username | Sort-Object -Unique) | Should -Be @('z-disabled')
            $body = (Get-LocalRequest -Operation 'ListUsers')[0].body | ConvertFrom-Json
            $body.Filter | Should -BeExactly 'status = "Disabled"'
            @(Get-LocalRequest -Operation 'AdminListDevices').Count | Should -Be 1
        }

        It 'ends with Cognito''s InvalidParameterException for a filter it cannot parse' {
            $pool = New-SweepPool -Users 1
            { Get-CognitoDevice -UserPoolId $pool.PoolId -UserFilter 'status is enabled' -ProfileName $profileName -EndpointUrl $url -ErrorAction Stop -WarningAction SilentlyContinue } |
                Should -Throw -ErrorId "InvalidParameterException,$getId"
        }

        It 'stops every request promptly when Select-Object -First has enough' {
            $pool = (New-LocalPool -Region 'eu-west-1').poolId
            $null = Invoke-LocalControl -Method POST -Path 'seed' -Body @{ poolId = $pool; count = 2000; maxDevices = 3; seed = 5 }
            $null = Invoke-LocalControl -Method POST -Path 'latency' -Body @{ ms = 40 }

            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $first = @(Get-CognitoDevice -UserPoolId $pool -ProfileName $profileName -EndpointUrl $url | Select-Object -First 3)
            $watch.Stop()
            Start-Sleep -Milliseconds 500
            $listed = @(Get-LocalRequest -Operation 'AdminListDevices').Count
            Start-Sleep -Milliseconds 500

            $first.Count | Should -Be 3
            @(Get-LocalRequest -Operation 'AdminListDevices').Count | Should -Be $listed -Because 'nothing is sent after the pipeline stopped'
            $listed | Should -BeLessThan 300 -Because 'a sweep of 2000 users stopped after a few devices (at most 32 in flight, 256 buffered)'
            @(Get-LocalRequest -Operation 'ListUsers').Count | Should -BeLessOrEqual 6
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 20 -Because 'an order of magnitude above what it takes'
        }

        It 'prints a resume token when ListUsers fails, and -ResumeToken continues after the last user written' {
            $pool = New-SweepPool -Users 130
            # Other clients used up the UserList quota: the second ListUsers page is throttled, with no retry left.
            Set-LocalQuota @{ categories = @{ UserList = 0.2 }; perUserLimits = $false }
            $env:COGNITODEVICE_QUOTA_USERLIST = '0'
            $env:AWS_MAX_ATTEMPTS = '1'

            $written = [System.Collections.Generic.List[object]]::new()
            $failure = $null
            try {
                Get-CognitoDevice -UserPoolId $pool.PoolId -ProfileName $profileName -EndpointUrl $url -ErrorAction Stop -WarningVariable warnings -WarningAction SilentlyContinue |
                    ForEach-Object { $written.Add($_) }
            }
            catch {
                $failure = $_
            }

            $failure.FullyQualifiedErrorId | Should -BeExactly "TooManyRequestsException,$getId"
            @($warnings).Count | Should -Be 1
            $token = Get-ResumeToken ([string]$warnings[0])
            $token | Should -Match '^cdsweep1\.'
            $firstPage = @($pool.Order | Where-Object { [int]($_.Substring(1, 3)) -lt 60 })
            @($written | ForEach-Object { "$($_.Username)/$($_.DeviceKey)" }) | Should -Be $firstPage

            Set-LocalQuota @{ enabled = $false }
            $rest = @(Get-CognitoDevice -UserPoolId $pool.PoolId -ResumeToken $token -ProfileName $profileName -EndpointUrl $url)
            @($rest | ForEach-Object { "$($_.Username)/$($_.DeviceKey)" }) | Should -Be @($pool.Order | Where-Object { $firstPage -notcontains $_ })
        }

        It 'never prints the secret key of the profile in its resume token, warning or errors' {
            $pool = New-SweepPool -Users 65
            Set-LocalQuota @{ categories = @{ UserList = 0.2 } }
            $env:COGNITODEVICE_QUOTA_USERLIST = '0'
            $env:AWS_MAX_ATTEMPTS = '1'
            $output = & {
                try { Get-CognitoDevice -UserPoolId $pool.PoolId -ProfileName $profileName -EndpointUrl $url -Verbose }
                catch { $_ | Format-List * -Force; $_.Exception.ToString() }
            } *>&1 | Out-String -Width 500
            $secret = ((Get-Content -Raw -LiteralPath $env:AWS_SHARED_CREDENTIALS_FILE) -split "`n" | Where-Object { $_ -match 'aws_secret_access_key' } | Select-Object -First 1).Split('=')[1].Trim()
            $output | Should -Match '-ResumeToken cdsweep1\.'
            $output | Should -Not -Match ([regex]::Escape($secret))
        }
    }

    Context 'The README''s 90-day clean-up, one pipeline' {
        It 'has the runbook block in the README' {
            $script:runbook | Should -Match 'Get-CognitoDevice -UserPoolId \$PoolId'
            $script:runbook | Should -Match 'Remove-CognitoDevice'
        }

        It 'forgets every stale device and keeps every fresh one under Cognito''s quotas, throttling and faults' {
            $pool = New-SweepPool -Users 90
            $pool.Stale.Count | Should -BeGreaterThan 50
            # Cognito's quotas (per category and per user), answers that take 20 ms, and faults on top.
            Set-LocalQuota @{}
            $null = Invoke-LocalControl -Method POST -Path 'latency' -Body @{ ms = 20 }
            $null = Add-LocalFault -Kind Throttle -Count 2 -Operation 'AdminForgetDevice'
            $null = Add-LocalFault -Kind Throttle -Count 1 -Operation 'ListUsers'
            $null = Add-LocalFault -Kind InternalError -Count 2 -Operation 'AdminListDevices'
            $null = Add-LocalFault -Kind DropAfterProcessing -Count 1 -Operation 'AdminForgetDevice'
            $null = Add-LocalFault -Kind Throttle -Count 2 -Operation 'AdminListDevices'
            $env:AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = $url
            $PoolId = $pool.PoolId
            $ProfileName = $profileName

            $output = @(. ([scriptblock]::Create($script:runbook)) 2>&1)

            @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" }) | Should -BeNullOrEmpty
            $left = Get-PoolDeviceKey -PoolId $pool.PoolId
            @($left | Where-Object { $pool.Stale -contains $_ }) | Should -BeNullOrEmpty -Because 'every device not used for 90 days is forgotten'
            @($pool.Fresh | Where-Object { $left -notcontains $_ }) | Should -BeNullOrEmpty -Because 'every device used in the last 90 days is kept'
            @($left).Count | Should -Be $pool.Fresh.Count
            @((Invoke-LocalControl -Method GET -Path 'faults').faults).Count | Should -Be 0 -Because 'every injected fault was met'
        }
    }
}

Describe 'Remove-CognitoDevice (piped removals overlap)' {
    BeforeEach {
        Reset-LocalCognito
    }

    It 'overlaps the calls of piped records but writes results and errors in input order' {
        $user = New-TestUser -DeviceCount 6
        $missing = New-MissingDeviceKey
        $keys = @($user.DeviceKeys[0..2]) + @($missing) + @($user.DeviceKeys[3..5])
        $null = Invoke-LocalControl -Method POST -Path 'latency' -Body @{ ms = 150 }

        $out = @($keys | Remove-CognitoDevice -UserPoolId $user.PoolId -Username $user.Username -ProfileName $profileName -EndpointUrl $url -PassThru -Confirm:$false -ErrorAction Continue 2>&1)

        @($out | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { "error $($_.TargetObject) $($_.FullyQualifiedErrorId)" } else { "forgot $($_.DeviceKey)" } }) |
            Should -Be @($keys | ForEach-Object { if ($_ -eq $missing) { "error $_ ResourceNotFoundException,CognitoDevice.Commands.RemoveCognitoDeviceCommand" } else { "forgot $_" } })
        Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Should -BeNullOrEmpty
        # Overlap: some request arrived before the one before it was answered.
        $log = @(Get-LocalRequest -Operation 'AdminForgetDevice' | Sort-Object sequence)
        $overlapped = 0
        for ($i = 1; $i -lt $log.Count; $i++) {
            $previousEnd = [DateTime]::Parse($log[$i - 1].utcTime, [cultureinfo]::InvariantCulture, 'RoundtripKind').AddMilliseconds($log[$i - 1].elapsedMs)
            if ([DateTime]::Parse($log[$i].utcTime, [cultureinfo]::InvariantCulture, 'RoundtripKind') -lt $previousEnd) { $overlapped++ }
        }
        $overlapped | Should -BeGreaterThan 0
    }

    It 'runs one call at a time under <Preference> (bound: <Bound>): nothing after the failing record is sent' -TestCases @(
        @{ Preference = 'Stop'; Bound = $true }
        @{ Preference = 'Stop'; Bound = $false }
    ) {
        param($Preference, $Bound)
        $user = New-TestUser -DeviceCount 10
        $missing = New-MissingDeviceKey
        $keys = @($missing) + @($user.DeviceKeys)
        $null = Invoke-LocalControl -Method POST -Path 'latency' -Body @{ ms = 100 }
        $remove = @{ UserPoolId = $user.PoolId; Username = $user.Username; ProfileName = $profileName; EndpointUrl = $url; Confirm = $false }

        if ($Bound) {
            { $keys | Remove-CognitoDevice @remove -ErrorAction $Preference } | Should -Throw -ErrorId 'ResourceNotFoundException,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
        }
        else {
            { $ErrorActionPreference = $Preference; $keys | Remove-CognitoDevice @remove } | Should -Throw -ErrorId 'ResourceNotFoundException,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
        }
        Start-Sleep -Milliseconds 300

        @(Get-LocalRequest -Operation 'AdminForgetDevice').Count | Should -Be 1
        @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 10
    }
}
