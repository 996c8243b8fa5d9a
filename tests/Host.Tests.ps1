#Requires -Version 5.1
<#
    What a person at a PowerShell host sees, in real PowerShell: confirmation and parameter prompts (answered by a
    scripted host in a runspace), the console itself (a pseudo-terminal, as a person types: the masked token prompt,
    transcripts, progress), and Ctrl+C (PowerShell.Stop, which is what Ctrl+C calls).
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Initialize-CognitoTestEnvironment
    $url = (Start-LocalCognito).Url
    $manifest = Get-CognitoDeviceManifestPath
    Import-Module $manifest -Force

    if (-not ('CognitoDeviceTests.ScriptedHost' -as [type])) {
        Add-Type -Path (Join-Path $PSScriptRoot 'Hosts/ScriptedHost.cs')
    }

    function Invoke-InScriptedHost {
        # Runs $Script in a fresh runspace whose host answers from $Choices and $Fields; returns the host and the output.
        param(
            [string]$Script,
            [hashtable]$Variables = @{},
            [string[]]$Choices = @(),
            [string[]]$Fields = @()
        )
        $scripted = [CognitoDeviceTests.ScriptedHost]::new()
        foreach ($c in $Choices) { $scripted.Answers.Choices.Enqueue($c) }
        foreach ($f in $Fields) { $scripted.Answers.Fields.Enqueue($f) }
        $runspace = [runspacefactory]::CreateRunspace($scripted)
        $runspace.Open()
        try {
            $ps = [powershell]::Create()
            $ps.Runspace = $runspace
            $null = $ps.AddScript('param($manifest) Import-Module $manifest').AddArgument($manifest)
            $null = $ps.Invoke()
            $ps.Commands.Clear()
            foreach ($entry in $Variables.GetEnumerator()) { $runspace.SessionStateProxy.SetVariable($entry.Key, $entry.Value) }
            $null = $ps.AddScript($Script)
            $output = $ps.Invoke()
            return [pscustomobject]@{
                Host   = $scripted.Answers
                Output = $output
                Errors = @($ps.Streams.Error)
                Failed = $ps.HadErrors
            }
        }
        finally {
            $runspace.Dispose()
        }
    }

    function Invoke-Console {
        # Runs an interactive pwsh in a pseudo-terminal, typing the steps; returns the screen text.
        param([string[]]$Steps, [hashtable]$Environment = @{}, [int]$TimeoutSeconds = 90, [string[]]$Arguments = @('-NoProfile', '-NoLogo'))
        $python = (Get-Command -Name python3 -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source
        $pwsh = Get-PowerShellExecutable
        $command = if ($pwsh.EndsWith('.dll')) { @((Get-Process -Id $PID).Path, $pwsh) } else { @($pwsh) }
        $arguments = @((Join-Path $PSScriptRoot 'Hosts/console_session.py'), '--timeout', $TimeoutSeconds) + $Steps + @('--') + $command + $Arguments
        $saved = @{}
        foreach ($name in $Environment.Keys) {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, [string]$Environment[$name])
        }
        try {
            $screen = & $python @arguments 2>&1 | Out-String
            return [pscustomobject]@{ ExitCode = $LASTEXITCODE; Screen = $screen }
        }
        finally {
            foreach ($name in $saved.Keys) { Set-ProcessVariable -Name $name -Value $saved[$name] }
        }
    }
}

AfterAll {
    Stop-LocalCognito
    Restore-CognitoTestEnvironment
}

Describe 'Remove-CognitoDevice at an interactive host' {
    BeforeEach {
        Reset-LocalCognito
    }

    Context 'Confirmation (-Confirm)' {
        It 'forgets the device when the person answers Yes, and the prompt names the device, never the token' {
            $user = New-TestUser -DeviceCount 2

            $run = Invoke-InScriptedHost -Choices 'Y' -Variables @{ key = $user.DeviceKeys[0]; token = $user.Token; url = $url } -Script '
                Remove-CognitoDevice -DeviceKey $key -AccessToken $token -EndpointUrl $url -Confirm'

            $run.Failed | Should -BeFalse -Because ($run.Errors | Out-String)
            $run.Host.Asked.Count | Should -Be 1
            $run.Host.Asked[0] | Should -BeLike "choice|*|*$($user.DeviceKeys[0])*"
            $run.Host.Asked[0] | Should -Not -Match ([regex]::Escape($user.Token.Split('.')[2]))
            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Should -Be $user.DeviceKeys[1]
        }

        It 'forgets nothing and sends nothing when the person answers No' {
            $user = New-TestUser -DeviceCount 1

            $run = Invoke-InScriptedHost -Choices 'N' -Variables @{ key = $user.DeviceKeys[0]; token = $user.Token; url = $url } -Script '
                Remove-CognitoDevice -DeviceKey $key -AccessToken $token -EndpointUrl $url -Confirm'

            $run.Host.Asked.Count | Should -Be 1
            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Should -Be $user.DeviceKeys[0]
            @(Get-LocalRequest).Count | Should -Be 0
        }

        It 'asks once per device and forgets all after Yes to All' {
            $user = New-TestUser -DeviceCount 3

            $run = Invoke-InScriptedHost -Choices 'A' -Variables @{ keys = $user.DeviceKeys; token = $user.Token; url = $url } -Script '
                $keys | Remove-CognitoDevice -AccessToken $token -EndpointUrl $url -Confirm'

            $run.Host.Asked.Count | Should -Be 1
            @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 0
        }
    }

    Context 'A missing -AccessToken' {
        It 'is asked for as a SecureString (masked by the host) and the answer is used' {
            $user = New-TestUser -DeviceCount 1

            $run = Invoke-InScriptedHost -Fields $user.Token -Variables @{ key = $user.DeviceKeys[0]; url = $url } -Script '
                Remove-CognitoDevice -DeviceKey $key -EndpointUrl $url -Confirm:$false'

            $run.Failed | Should -BeFalse -Because ($run.Errors | Out-String)
            $run.Host.Asked | Should -Be @('field|AccessToken|System.Security.SecureString')
            @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 0
            ($run.Host.Written -join "`n") | Should -Not -Match ([regex]::Escape($user.Token.Split('.')[2]))
        }

        It 'is masked on a real console and kept out of the transcript' {
            $user = New-TestUser -DeviceCount 1
            $transcript = Join-Path ([IO.Path]::GetTempPath()) ('cognitodevice-transcript-{0}.txt' -f [guid]::NewGuid().ToString('N'))
            $signature = $user.Token.Split('.')[2]
            try {
                $run = Invoke-Console -Environment @{ COGNITODEVICE_TEST_TOKEN = $user.Token } -Steps @(
                    '--wait', 'PS .*> '
                    '--send', ('Import-Module {0}; Start-Transcript -Path {1}\r' -f (ConvertTo-PSLiteral $manifest), (ConvertTo-PSLiteral $transcript))
                    '--wait', 'Transcript started'
                    '--send', ('Remove-CognitoDevice -DeviceKey {0} -EndpointUrl {1} -Confirm:$false; "removed: $?"\r' -f $user.DeviceKeys[0], $url)
                    '--wait', 'AccessToken: '
                    '--sendenv', 'COGNITODEVICE_TEST_TOKEN'
                    '--send', '\r'
                    '--wait', 'removed: '
                    '--send', 'Stop-Transcript; exit\r'
                )

                $run.ExitCode | Should -Be 0 -Because $run.Screen
                $run.Screen | Should -Match 'AccessToken: \*{20,}'
                $run.Screen | Should -Match 'removed: True'
                $run.Screen | Should -Not -Match ([regex]::Escape($signature))
                Get-Content -LiteralPath $transcript -Raw | Should -Not -Match ([regex]::Escape($signature))
                Get-Content -LiteralPath $transcript -Raw | Should -Match 'Remove-CognitoDevice'
                @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 0
            }
            finally {
                Remove-Item -LiteralPath $transcript -ErrorAction SilentlyContinue
            }
        }
    }

    Context 'Progress' {
        It 'shows progress on an interactive console while devices are forgotten' {
            $user = New-TestUser -DeviceCount 8
            $null = Add-LocalFault -Kind Delay -DelayMs 200 -Count 8 -Operation ForgetDevice
            $keys = ($user.DeviceKeys | ForEach-Object { "'$_'" }) -join ','

            $run = Invoke-Console -Environment @{ COGNITODEVICE_TEST_TOKEN = $user.Token } -Steps @(
                '--wait', 'PS .*> '
                '--send', ('Import-Module {0}; {1} | Remove-CognitoDevice -AccessToken $env:COGNITODEVICE_TEST_TOKEN -EndpointUrl {2} -Confirm:$false; "done: $?"\r' -f (ConvertTo-PSLiteral $manifest), $keys, $url)
                '--wait', 'done: '
                '--send', 'exit\r'
            )

            $run.ExitCode | Should -Be 0 -Because $run.Screen
            $run.Screen | Should -Match 'Forgetting Cognito devices'
            $run.Screen | Should -Match 'done: True'
            @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 0
        }

        It 'writes no progress record in a host without a console (a runbook)' {
            $user = New-TestUser -DeviceCount 8
            $null = Add-LocalFault -Kind Delay -DelayMs 100 -Count 8 -Operation ForgetDevice

            $run = Invoke-InScriptedHost -Variables @{ keys = $user.DeviceKeys; token = $user.Token; url = $url } -Script '
                $keys | Remove-CognitoDevice -AccessToken $token -EndpointUrl $url -Confirm:$false'

            $run.Failed | Should -BeFalse -Because ($run.Errors | Out-String)
            $run.Host.Progress.Count | Should -Be 0
            @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 0
        }
    }

    Context 'Ctrl+C' {
        It 'stops a call that waits on a slow endpoint within a second' {
            $user = New-TestUser -DeviceCount 1
            $null = Add-LocalFault -Kind Delay -DelayMs 20000 -Count 1 -Operation ForgetDevice
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript('param($m, $k, $t, $u) Import-Module $m; Remove-CognitoDevice -DeviceKey $k -AccessToken $t -EndpointUrl $u -Confirm:$false').
                    AddArgument($manifest).AddArgument($user.DeviceKeys[0]).AddArgument($user.Token).AddArgument($url)
                $async = $ps.BeginInvoke()
                # The endpoint logs a request when it answers, so wait long enough for the import and the request to be
                # under way (the delayed answer comes 20 s later).
                Start-Sleep -Seconds 3
                $async.IsCompleted | Should -BeFalse

                $clock = [Diagnostics.Stopwatch]::StartNew()
                $ps.Stop()
                $clock.Stop()

                $async.IsCompleted | Should -BeTrue
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 1.0
            }
            finally {
                $ps.Dispose()
            }
        }
    }
}

Describe 'The try-it command (try.ps1)' {
    It 'opens a shell with the module, $token and the endpoint set, runs both sets, and stops the endpoint on exit' {
        $try = Join-Path (Get-RepositoryRoot) 'try.ps1'

        $run = Invoke-Console -TimeoutSeconds 300 -Arguments @('-NoProfile', '-NoLogo', '-File', $try) -Steps @(
            '--wait', 'exit to stop the endpoint'
            '--wait', 'PS .*> '
            '--send', 'Get-CognitoDevice -AccessToken $token | Measure-Object | ForEach-Object { ''token set: '' + $_.Count }\r'
            '--wait', 'token set: \d'
            '--send', 'Get-CognitoDevice -UserPoolId us-east-1_LocalDemo -Username alice | Measure-Object | ForEach-Object { ''admin set: '' + $_.Count }\r'
            '--wait', 'admin set: \d'
            '--send', '$env:AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER -match ''^http://127\.0\.0\.1:(\d+)$''; $port = $Matches[1]; exit\r'
            '--wait', 'The local Cognito endpoint is stopped'
        )

        $run.ExitCode | Should -Be 0 -Because $run.Screen
        $run.Screen | Should -Match 'Get-CognitoDevice -AccessToken \$token'
        $run.Screen | Should -Match 'token set: 5'
        $run.Screen | Should -Match 'admin set: 5'
        $run.Screen | Should -Not -Match 'eyJ[A-Za-z0-9_-]{10}' -Because 'the token is never printed'
        $run.Screen -match 'at (http://127\.0\.0\.1:\d+)' | Should -BeTrue
        $endpointUrl = $Matches[1]
        { Invoke-RestMethod -Uri ($endpointUrl + '/_local/state') -TimeoutSec 2 } | Should -Throw -Because 'the endpoint stopped with the shell'
    }
}

