// A PowerShell host whose user answers from a script: the Pester tests compile it with Add-Type and open a runspace
// on it, to drive the prompts a person would see (ShouldProcess confirmations, a missing mandatory parameter) and to
// record what was asked. No console is involved, so it runs the same on a CI machine.
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace CognitoDeviceTests
{
    public sealed class ScriptedHost : PSHost
    {
        private readonly Guid _id = Guid.NewGuid();
        private readonly ScriptedUserInterface _ui = new ScriptedUserInterface();

        public ScriptedUserInterface Answers => _ui;

        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public override Guid InstanceId => _id;
        public override string Name => "ScriptedHost";
        public override PSHostUserInterface UI => _ui;
        public override Version Version => new Version(1, 0);
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        public override void SetShouldExit(int exitCode) { }
    }

    public sealed class ScriptedUserInterface : PSHostUserInterface
    {
        /// <summary>Answers to PromptForChoice, in order: the label typed (e.g. "Y", "N").</summary>
        public Queue<string> Choices { get; } = new Queue<string>();

        /// <summary>Answers to Prompt (a missing mandatory parameter), in order, as text.</summary>
        public Queue<string> Fields { get; } = new Queue<string>();

        /// <summary>What was asked: "choice|caption|message" and "field|name|type" lines.</summary>
        public List<string> Asked { get; } = new List<string>();

        /// <summary>Everything written to the host, for secrets checks.</summary>
        public List<string> Written { get; } = new List<string>();

        public List<ProgressRecord> Progress { get; } = new List<ProgressRecord>();

        public override PSHostRawUserInterface RawUI => null;

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
        {
            var result = new Dictionary<string, PSObject>();
            foreach (FieldDescription field in descriptions)
            {
                Asked.Add("field|" + field.Name + "|" + field.ParameterTypeFullName);
                if (Fields.Count == 0) throw new InvalidOperationException("The script has no answer for the prompt '" + field.Name + "'.");
                string answer = Fields.Dequeue();
                if (field.ParameterTypeFullName == typeof(SecureString).FullName)
                {
                    var secure = new SecureString();
                    foreach (char c in answer) secure.AppendChar(c);
                    result[field.Name] = PSObject.AsPSObject(secure);
                }
                else
                {
                    result[field.Name] = PSObject.AsPSObject(answer);
                }
            }
            return result;
        }

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Asked.Add("choice|" + caption + "|" + message);
            if (Choices.Count == 0) throw new InvalidOperationException("The script has no answer for the choice '" + caption + "'.");
            string answer = Choices.Dequeue();
            for (int i = 0; i < choices.Count; i++)
            {
                string label = choices[i].Label.Replace("&", string.Empty);
                int amp = choices[i].Label.IndexOf('&');
                string hot = amp >= 0 && amp + 1 < choices[i].Label.Length ? choices[i].Label.Substring(amp + 1, 1) : label;
                if (string.Equals(hot, answer, StringComparison.OrdinalIgnoreCase) || string.Equals(label, answer, StringComparison.OrdinalIgnoreCase)) return i;
            }
            throw new InvalidOperationException("No choice '" + answer + "' in the prompt '" + caption + "'.");
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException();

        public override string ReadLine() => Fields.Count > 0 ? Fields.Dequeue() : throw new InvalidOperationException("The script has no line to read.");

        public override SecureString ReadLineAsSecureString()
        {
            string line = ReadLine();
            var secure = new SecureString();
            foreach (char c in line) secure.AppendChar(c);
            return secure;
        }

        public override void Write(string value) => Written.Add(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Written.Add(value);
        public override void WriteDebugLine(string message) => Written.Add(message);
        public override void WriteErrorLine(string value) => Written.Add(value);
        public override void WriteLine(string value) => Written.Add(value);
        public override void WriteProgress(long sourceId, ProgressRecord record) => Progress.Add(record);
        public override void WriteVerboseLine(string message) => Written.Add(message);
        public override void WriteWarningLine(string message) => Written.Add(message);
    }
}
