# CognitoDevice root module: a loader, nothing else. The cmdlets are in CognitoDevice.dll.
#
# PowerShell 7: CognitoDevice.Loader.dll, the only assembly of the module in the default load context, loads
# CognitoDevice.dll and the dependencies it ships (AWSSDK.Core, System.* packages) into the module's own
# AssemblyLoadContext, so another module's AWSSDK.Core, loaded before or after, never meets the module's.
# Windows PowerShell 5.1 has no load contexts: CognitoDevice.dll is imported from this folder and resolves its
# own dependencies (by name and version) itself. See the README, "Windows PowerShell 5.1".

# Only Microsoft.PowerShell.Core commands and .NET calls here: the module must import with module auto-loading off.

$isReload = $null -ne ('CognitoDevice.Commands.GetCognitoDeviceCommand' -as [type])
if ($PSEdition -eq 'Core') {
    # LoadFrom of the same path returns the loaded assembly: Remove-Module and Import-Module reuse the load context.
    $loader = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($PSScriptRoot, 'CognitoDevice.Loader.dll'))
    $moduleAssembly = $loader.GetType('CognitoDevice.Loader.ModuleLoadContext', $true)::Initialize()
}
else {
    $moduleAssembly = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($PSScriptRoot, 'CognitoDevice.dll'))
}

$innerModule = Import-Module -Assembly $moduleAssembly -PassThru
if ($isReload -and $innerModule) {
    # Imported again in this session (Import-Module -Force, or after Remove-Module): PowerShell reuses the binary
    # module it cached for the assembly and does not export its cmdlets through this module again. Export them
    # explicitly, as jborean93's loaders (PSToml, PSOpenAD) do.
    $addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod('AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
    $exported = $ExecutionContext.SessionState.Module.ExportedCmdlets
    foreach ($cmdlet in $innerModule.ExportedCmdlets.Values) {
        if ($addExportedCmdlet -and -not $exported.ContainsKey($cmdlet.Name)) {
            $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmdlet))
        }
    }
}
