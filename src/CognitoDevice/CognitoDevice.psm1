# CognitoDevice root module: a loader, nothing else. The cmdlets are in CognitoDevice.dll.
#
# PowerShell 7: CognitoDevice.Loader.dll, the only assembly of the module in the default load context, loads
# CognitoDevice.dll and the dependencies it ships (AWSSDK.Core, System.* packages) into the module's own
# AssemblyLoadContext, so another module's AWSSDK.Core, loaded before or after, never meets the module's.
# Windows PowerShell 5.1 has no load contexts: CognitoDevice.dll is imported from this folder and resolves its
# own dependencies (by name and version) itself. See the README, "Windows PowerShell 5.1".
#
# Only Microsoft.PowerShell.Core commands here (the module must import with module auto-loading off), and few .NET
# calls: PowerShell takes milliseconds to bind each call site the first time (a loop over the loaded assemblies
# costs about 80 ms).

if ($PSEdition -eq 'Core') {
    # LoadFrom of the same path returns the loaded assembly, and Initialize the same load context, on every import.
    $loader = [System.Reflection.Assembly]::LoadFrom("$PSScriptRoot/CognitoDevice.Loader.dll").GetType('CognitoDevice.Loader.ModuleLoadContext', $true)
    $innerModule = Import-Module -Assembly $loader::Initialize() -PassThru
    if ($loader::InitializeCount -gt 1) {
        # Imported again in this session (Import-Module -Force, or after Remove-Module): PowerShell reuses the binary
        # module it cached for the assembly and does not export its cmdlets through this module. Export them
        # explicitly, as jborean93's loaders (PSToml, PSOpenAD) do.
        $addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod('AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
        foreach ($cmdlet in $innerModule.ExportedCmdlets.Values) {
            $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmdlet))
        }
    }
}
else {
    Import-Module -Assembly ([System.Reflection.Assembly]::LoadFrom("$PSScriptRoot/CognitoDevice.dll"))
}
