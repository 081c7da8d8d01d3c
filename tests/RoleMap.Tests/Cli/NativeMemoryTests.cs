using System.Text.RegularExpressions;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Cli;

/// <summary>
/// The native CLI's C code that puts the collector's heap in huge pages (src/RoleMap.Cli/Native/gc_heap_pages.c),
/// built with the C compiler and the wrap options the CLI's project links it with, and driven the way the runtime's
/// collector calls mmap64, mprotect, madvise and munmap (testdata/native/gc_heap_pages_check.c); the kernel's view of
/// the mappings (/proc/self/smaps) is what is checked.
/// </summary>
public sealed partial class NativeMemoryTests
{
    [RequiresToolFact("cc")]
    public void The_heap_is_committed_in_whole_huge_pages_and_nothing_else_changes()
    {
        var project = File.ReadAllText(Path.Combine(Repo.Root, "src/RoleMap.Cli/RoleMap.Cli.csproj"));
        Assert.Contains("Native/gc_heap_pages.c", project, StringComparison.Ordinal);
        var wrap = WrapOption().Match(project);
        Assert.True(wrap.Success, "RoleMap.Cli.csproj links with -Wl,--wrap=...");

        var directory = Directory.CreateTempSubdirectory("rolemap-native-");
        try
        {
            var program = Path.Combine(directory.FullName, "check");
            var (built, _, buildErrors) = Tools.Run(Tools.Require("cc"), ["-O2", "-Wall", "-Werror", "-o", program, Path.Combine(Repo.Root, "tests/RoleMap.Tests/testdata/native/gc_heap_pages_check.c"), Path.Combine(Repo.Root, "src/RoleMap.Cli/Native/gc_heap_pages.c"), wrap.Value]);
            Assert.True(built == 0, buildErrors);

            var (exitCode, output, errors) = Tools.Run(program, []);
            Assert.True(exitCode == 0, output + errors);
            var lines = output.TrimEnd('\n').Split('\n');
            var widened = lines[0] == "transparent huge pages: supported";
            string[] expected = widened
                ? [
                    "ok: the heap's reservation is advised for huge pages",
                    "ok: a commit is widened to its whole 2 MiB block",
                    "ok: MADV_DODUMP is widened with it",
                    "ok: committed memory is readable, writable and zero",
                    "ok: a commit across a boundary is widened to both blocks",
                    "ok: a decommitted range stays advised for huge pages",
                    "ok: recommitted memory is zero",
                    "ok: a commit outside the heap's reservation is left as asked",
                    "ok: after an unmap in the heap's range, a commit is left as asked",
                    "ok: a later large MADV_DONTDUMP does not record the range again",
                ]
                : [
                    "ok: the heap's reservation is advised for huge pages",
                    "ok: a commit is left as asked",
                    "ok: committed memory is readable, writable and zero",
                    "ok: a commit across a boundary is left as asked",
                    "ok: a decommitted range stays advised for huge pages",
                    "ok: recommitted memory is zero",
                    "ok: a commit outside the heap's reservation is left as asked",
                    "ok: after an unmap in the heap's range, a commit is left as asked",
                    "ok: a later large MADV_DONTDUMP does not record the range again",
                ];
            Assert.Equal(expected, lines[1..]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [GeneratedRegex("-Wl,--wrap=[^\"<]+")]
    private static partial Regex WrapOption();
}
