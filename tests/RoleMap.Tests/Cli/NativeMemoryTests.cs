using System.Text.RegularExpressions;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Cli;

/// <summary>
/// The native CLI's C code for memory: the constructor that faults in the writable segment's zero-filled tail and the
/// dispatch cells (src/RoleMap.Cli/Native/prefault.c), and the code that puts the collector's heap in huge pages
/// (src/RoleMap.Cli/Native/gc_heap_pages.c), each built with the C compiler into a small C program that does what the
/// runtime does (for the heap, with the wrap options the CLI's project links with, calling mmap64, mprotect, madvise
/// and munmap as the collector does); the kernel's view of the mappings (/proc/self/smaps) is what is checked.
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

    /// <summary>
    /// Native/prefault.c, linked into a C program with what it acts on in a NativeAOT image (a zero-filled tail of the
    /// writable segment, dispatch cells between the compiler's two symbols): before main, both are resident and the
    /// cells already private copies (testdata/native/prefault_check.c). Built without it, the same program's residency
    /// checks fail, so the check tells the two apart.
    /// </summary>
    [RequiresToolFact("cc")]
    public void The_zero_filled_tail_and_the_dispatch_cells_are_faulted_in_before_main()
    {
        var project = File.ReadAllText(Path.Combine(Repo.Root, "src/RoleMap.Cli/RoleMap.Cli.csproj"));
        Assert.Contains("<NativeMemorySource Include=\"Native/prefault.c\" />", project, StringComparison.Ordinal);
        var check = Path.Combine(Repo.Root, "tests/RoleMap.Tests/testdata/native/prefault_check.c");
        var prefault = Path.Combine(Repo.Root, "src/RoleMap.Cli/Native/prefault.c");

        var directory = Directory.CreateTempSubdirectory("rolemap-prefault-");
        try
        {
            var with = Path.Combine(directory.FullName, "with");
            var without = Path.Combine(directory.FullName, "without");
            var (built, _, buildErrors) = Tools.Run(Tools.Require("cc"), ["-O2", "-Wall", "-Werror", "-o", with, check, prefault]);
            Assert.True(built == 0, buildErrors);
            (built, _, buildErrors) = Tools.Run(Tools.Require("cc"), ["-O2", "-Wall", "-Werror", "-o", without, check]);
            Assert.True(built == 0, buildErrors);

            var (exitCode, output, errors) = Tools.Run(with, []);
            Assert.True(exitCode == 0, output + errors);
            var lines = output.TrimEnd('\n').Split('\n');
            Assert.Equal(
                [
                    "ok: the zero-filled tail of the writable segment is resident before main",
                    "ok: the zero-filled tail is advised for huge pages",
                    "ok: the dispatch cells are private written copies before main",
                    "ok: the dispatch cells keep their contents",
                    "ok: the zero-filled tail is zero",
                ],
                lines[1..]);

            (exitCode, output, _) = Tools.Run(without, []);
            Assert.Equal(1, exitCode);
            Assert.Contains("FAILED: the zero-filled tail of the writable segment is resident before main", output, StringComparison.Ordinal);
            Assert.Contains("FAILED: the dispatch cells are private written copies before main", output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [GeneratedRegex("-Wl,--wrap=[^\"<]+")]
    private static partial Regex WrapOption();
}
