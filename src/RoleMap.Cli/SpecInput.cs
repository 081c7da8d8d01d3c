using RoleMap.Diagnostics;
using RoleMap.Spec;
using RoleMap.UseCases;

namespace RoleMap.Cli;

/// <summary>The shell around <see cref="SpecUseCase.Compile"/>: reads the file, shows warnings, and on errors shows them and refuses (exit 2).</summary>
internal static class SpecInput
{
    /// <param name="showWarning">Which warnings to show (default all); a command may leave out those that do not apply to it.</param>
    public static CompiledSpec Compile(CliIO io, string path, bool lint = false, Func<Diagnostic, bool>? showWarning = null)
    {
        var compilation = SpecUseCase.Compile(io.ReadText(path), CliIO.DisplayName(path), lint);
        Output.Diagnostics(io, compilation.Warnings.Where(d => showWarning?.Invoke(d) ?? true));
        if (compilation.Refused)
        {
            Output.Diagnostics(io, compilation.Errors);
            throw compilation.Refusal();
        }

        return compilation.Spec;
    }
}
