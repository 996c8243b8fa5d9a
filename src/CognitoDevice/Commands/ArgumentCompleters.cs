using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using CognitoDevice.Configuration;

namespace CognitoDevice.Commands
{
    /// <summary>Tab completion for -Region: the region names of the partitions the module ships.</summary>
    public sealed class RegionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionCandidates.Regions(wordToComplete).Select(ArgumentCompletion.Result);
    }

    /// <summary>Tab completion for -ProfileName: the profile names in the AWS shared config and credentials files.</summary>
    public sealed class ProfileNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionCandidates.ProfileNames(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), wordToComplete)
                .Select(ArgumentCompletion.Result);
    }

    internal static class ArgumentCompletion
    {
        internal static CompletionResult Result(string value) =>
            new(CompletionCandidates.CompletionText(value), value, CompletionResultType.ParameterValue, value);
    }
}
